# recsys on AWS: Lambda functions behind an HTTP API, Kafka (MSK Serverless or an existing cluster), the
# checkpoint bucket, and the GPU worker on EC2. See README.md, "Deploy to AWS".

locals {
  prefix       = "${var.name}-${var.environment}"
  create_kafka = var.kafka_bootstrap_servers == ""
  # The workers' watchdogs report here; the alarms read it.
  metrics_namespace = "recsys/${local.prefix}"
}

module "checkpoints" {
  source          = "./modules/checkpoints"
  name            = local.prefix
  noncurrent_days = var.checkpoint_noncurrent_days
}

module "kafka" {
  source                     = "./modules/kafka"
  name                       = local.prefix
  create                     = local.create_kafka
  existing_bootstrap_servers = var.kafka_bootstrap_servers
  existing_cluster_arn       = var.kafka_auth == "iam" ? var.kafka_cluster_arn : ""
  vpc_id                     = var.vpc_id
  subnet_ids                 = var.private_subnet_ids
}

module "endpoints" {
  source          = "./modules/endpoints"
  name            = local.prefix
  region          = var.region
  vpc_id          = var.vpc_id
  subnet_ids      = var.private_subnet_ids
  route_table_ids = var.private_route_table_ids
}

locals {
  # Nothing reaches the internet: AWS APIs through the endpoints, Kafka at its security group or CIDRs.
  egress = {
    endpoints_security_group_id = module.endpoints.security_group_id
    s3                          = true
    s3_prefix_list_id           = module.endpoints.s3_prefix_list_id
    kafka_security_group_id     = module.kafka.security_group_id
    kafka_cidrs                 = local.create_kafka ? [] : var.kafka_cidrs
  }
}

# The API keys the functions accept; the value (a JSON array of keys) is set outside Terraform, so it never
# lands in the state.
resource "aws_secretsmanager_secret" "api_keys" {
  count       = var.api_keys_secret_arn == "" ? 1 : 0
  name_prefix = "${local.prefix}-api-keys-"
  description = "API keys accepted by the recsys functions (JSON array); set the value with the AWS CLI"
}

locals {
  api_keys_secret_arn = var.api_keys_secret_arn != "" ? var.api_keys_secret_arn : aws_secretsmanager_secret.api_keys[0].arn
}

# How the functions and every worker group reach Kafka.
locals {
  kafka = {
    bootstrap_servers = module.kafka.bootstrap_servers
    cluster_arn       = module.kafka.cluster_arn
    # The application profile that sets the Kafka clients' security (see the apps' application.properties).
    profile = { iam = "msk", tls = "tls", plaintext = "prod" }[var.kafka_auth]
    # A private CA for the tls path, on one line (Kafka's PEM reader ignores the breaks; env files hold none).
    ca_pem = replace(trimspace(var.kafka_ca_pem), "\n", " ")
  }
}

module "functions" {
  source              = "./modules/functions"
  name                = local.prefix
  runtime             = var.functions_runtime
  zip                 = var.functions_zip
  memory_mb           = var.functions_memory_mb
  timeout_seconds     = var.functions_timeout_seconds
  vpc_id              = var.vpc_id
  subnet_ids          = var.private_subnet_ids
  kafka               = local.kafka
  api_keys_secret_arn = local.api_keys_secret_arn
  throttle_rate       = var.api_throttle_rate
  throttle_burst      = var.api_throttle_burst
  log_retention_days  = var.log_retention_days
  egress              = merge(local.egress, { s3 = false }) # the functions use no S3
}

# One primary; or, with serving_shards, a dedicated trainer and that many serving shards (docs/operations.md).
module "worker" {
  source              = "./modules/worker"
  name                = local.prefix
  mode                = var.serving_shards > 0 ? "trainer" : "primary"
  instance_type       = var.worker_instance_type
  ami_id              = var.worker_ami_id
  vpc_id              = var.vpc_id
  subnet_ids          = var.private_subnet_ids
  bucket              = module.checkpoints.bucket
  bucket_arn          = module.checkpoints.arn
  artifact_key        = var.worker_artifact_key
  kafka               = local.kafka
  metrics_namespace   = local.metrics_namespace
  feedback_partitions = var.feedback_partitions
  log_retention_days  = var.log_retention_days
  egress              = local.egress
}

module "shards" {
  source              = "./modules/worker"
  count               = var.serving_shards > 0 ? 1 : 0
  name                = local.prefix
  mode                = "shard"
  instances           = var.serving_shards
  instance_type       = var.shard_instance_type
  ami_id              = var.worker_ami_id
  vpc_id              = var.vpc_id
  subnet_ids          = var.private_subnet_ids
  bucket              = module.checkpoints.bucket
  bucket_arn          = module.checkpoints.arn
  artifact_key        = var.worker_artifact_key
  kafka               = local.kafka
  metrics_namespace   = local.metrics_namespace
  feedback_partitions = var.feedback_partitions
  log_retention_days  = var.log_retention_days
  egress              = local.egress
}

module "alarms" {
  source               = "./modules/alarms"
  name                 = local.prefix
  metrics_namespace    = local.metrics_namespace
  worker_groups        = concat([module.worker.metrics_group], [for s in module.shards : s.metrics_group])
  api_id               = module.functions.api_id
  feedback_lag_records = var.alarm_feedback_lag_records
  api_5xx_percent      = var.alarm_api_5xx_percent
  email                = var.alarm_email
}

# HTTPS to the interface endpoints from their callers only.
resource "aws_vpc_security_group_ingress_rule" "endpoints_from" {
  for_each = merge({
    functions = module.functions.security_group_id
    worker    = module.worker.security_group_id
  }, var.serving_shards > 0 ? { shards = module.shards[0].security_group_id } : {})
  security_group_id            = module.endpoints.security_group_id
  description                  = "HTTPS from the ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value
}

resource "aws_vpc_security_group_ingress_rule" "kafka_from_shards" {
  count                        = local.create_kafka && var.serving_shards > 0 ? 1 : 0
  security_group_id            = module.kafka.security_group_id
  description                  = "Kafka from the serving shards"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = module.shards[0].security_group_id
}

# Kafka (IAM over TLS, 9098) from the functions and the worker only.
resource "aws_vpc_security_group_ingress_rule" "kafka_from_functions" {
  count                        = local.create_kafka ? 1 : 0
  security_group_id            = module.kafka.security_group_id
  description                  = "Kafka from the functions"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = module.functions.security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "kafka_from_worker" {
  count                        = local.create_kafka ? 1 : 0
  security_group_id            = module.kafka.security_group_id
  description                  = "Kafka from the worker"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = module.worker.security_group_id
}
