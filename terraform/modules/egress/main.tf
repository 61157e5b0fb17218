# What a group of functions or workers may connect to, as egress rules on its security group: the VPC's
# interface endpoints (AWS APIs), S3's prefix list when it uses S3, and Kafka at MSK's security group or at
# an existing cluster's broker CIDRs. Nothing else: no rule to the internet.

variable "security_group_id" {
  type = string
}

variable "egress" {
  description = "Where this group may connect: the interface endpoints' security group, S3's prefix list (when s3), and Kafka: the cluster's security group (MSK created here), or the brokers' CIDRs (an existing cluster)."
  type = object({
    endpoints_security_group_id = string
    s3                          = bool
    s3_prefix_list_id           = string
    kafka_security_group_id     = string
    kafka_cidrs                 = list(string)
  })
}

resource "aws_vpc_security_group_egress_rule" "endpoints" {
  security_group_id            = var.security_group_id
  description                  = "AWS APIs through the VPC's interface endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = var.egress.endpoints_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "s3" {
  count             = var.egress.s3 ? 1 : 0
  security_group_id = var.security_group_id
  description       = "S3 through the VPC's gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = var.egress.s3_prefix_list_id
}

resource "aws_vpc_security_group_egress_rule" "kafka" {
  count                        = length(var.egress.kafka_cidrs) == 0 ? 1 : 0
  security_group_id            = var.security_group_id
  description                  = "MSK (IAM over TLS)"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = var.egress.kafka_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "kafka_cidrs" {
  for_each          = toset(var.egress.kafka_cidrs)
  security_group_id = var.security_group_id
  description       = "the existing Kafka cluster"
  ip_protocol       = "tcp"
  from_port         = 9092
  to_port           = 9098
  cidr_ipv4         = each.value
}

output "kafka_cidrs" {
  description = "The Kafka destinations reachable by CIDR (an existing cluster)."
  value       = [for r in aws_vpc_security_group_egress_rule.kafka_cidrs : r.cidr_ipv4]
}

output "kafka_security_group_port" {
  description = "The port open to MSK's security group, or null with an existing cluster."
  value       = length(aws_vpc_security_group_egress_rule.kafka) == 0 ? null : aws_vpc_security_group_egress_rule.kafka[0].from_port
}

output "endpoints_port" {
  value = aws_vpc_security_group_egress_rule.endpoints.to_port
}

output "s3_prefix_list_id" {
  description = "The S3 prefix list reachable, or null when the group uses no S3."
  value       = length(aws_vpc_security_group_egress_rule.s3) == 0 ? null : aws_vpc_security_group_egress_rule.s3[0].prefix_list_id
}
