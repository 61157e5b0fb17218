# Private ways to the AWS APIs the functions and workers call, so that nothing needs an egress rule to the
# internet: a gateway endpoint for S3 (checkpoints, the worker's artifact) on the private route tables, and
# interface endpoints (private DNS) for Secrets Manager (API keys), CloudWatch Logs and Auto Scaling (a worker's
# watchdog handing back its instance). Who may reach the interface endpoints is added beside the callers.

variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "route_table_ids" {
  type = list(string)
}

locals {
  interface_services = toset(["secretsmanager", "logs", "autoscaling", "monitoring"])
}

resource "aws_security_group" "endpoints" {
  name_prefix = "${var.name}-endpoints-"
  description = "Interface endpoints: HTTPS from the functions and workers only (rules beside them)"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.route_table_ids
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.interface_services
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

output "security_group_id" {
  value = aws_security_group.endpoints.id
}

output "s3_prefix_list_id" {
  value = aws_vpc_endpoint.s3.prefix_list_id
}
