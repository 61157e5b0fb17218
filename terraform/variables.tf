variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "recsys"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name: 3-24 characters, lower-case letters, digits and '-', starting with a letter."
  }
}

variable "environment" {
  description = "dev, staging or prod."
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "region" {
  description = "AWS region, e.g. eu-west-1."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like eu-west-1."
  }
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

variable "offline_plan" {
  description = "Skip the provider's calls to AWS that check credentials: for planning offline in CI only."
  type        = bool
  default     = false
}

variable "vpc_id" {
  description = "VPC of the worker, the Lambda functions and MSK."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets (at least two, in different AZs) for the worker, the functions and MSK."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "private_subnet_ids: at least two subnet ids (subnet-...)."
  }
}

variable "private_route_table_ids" {
  description = "Route tables of the private subnets: S3's gateway endpoint is added to them (no route to the internet is needed)."
  type        = list(string)

  validation {
    condition     = length(var.private_route_table_ids) >= 1 && alltrue([for r in var.private_route_table_ids : can(regex("^rtb-[0-9a-f]{8,17}$", r))])
    error_message = "private_route_table_ids: at least one route table id (rtb-...)."
  }
}

variable "kafka_cidrs" {
  description = "With an existing cluster (kafka_bootstrap_servers): the CIDRs of its brokers, the only Kafka destinations the functions and workers may reach (ports 9092-9098)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.kafka_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "kafka_cidrs: CIDR blocks of the brokers (not 0.0.0.0/0)."
  }

  validation {
    condition     = var.kafka_bootstrap_servers == "" || length(var.kafka_cidrs) > 0
    error_message = "kafka_cidrs: an existing cluster (kafka_bootstrap_servers) needs its brokers' CIDRs, the only Kafka destinations allowed."
  }
}

# --- functions (Lambda behind an HTTP API) ---

variable "functions_runtime" {
  description = "java21 (the JVM build, started from a SnapStart snapshot; the default) or provided.al2023 for a native build (function.zip with a bootstrap, built where GraalVM is available)."
  type        = string
  default     = "java21"

  validation {
    condition     = contains(["provided.al2023", "java21", "java17"], var.functions_runtime)
    error_message = "functions_runtime must be provided.al2023 (native), java21 or java17."
  }
}

variable "functions_zip" {
  description = "Path of the functions' deployment zip (functions-lambda/target/function.zip)."
  type        = string
  default     = "../functions-lambda/target/function.zip"
}

variable "functions_memory_mb" {
  description = "Memory of each function; CPU grows with it."
  type        = number
  default     = 512

  validation {
    condition     = var.functions_memory_mb >= 128 && var.functions_memory_mb <= 10240
    error_message = "functions_memory_mb must be 128-10240."
  }
}

variable "functions_timeout_seconds" {
  description = "Lambda timeout, above the functions' own bounds (ingest gives up after 5 broker calls of 2 s, 10 s; recommend after 5 s), so Lambda never cuts a request off mid-commit."
  type        = number
  default     = 15

  validation {
    condition     = var.functions_timeout_seconds > 10 && var.functions_timeout_seconds <= 60
    error_message = "functions_timeout_seconds must be 11-60: above ingest's own 10 s bound, so Lambda never stops a commit halfway."
  }
}

variable "api_throttle_rate" {
  description = "Steady requests/s the HTTP API lets through, all routes."
  type        = number
  default     = 500

  validation {
    condition     = var.api_throttle_rate > 0
    error_message = "api_throttle_rate must be positive."
  }
}

variable "api_throttle_burst" {
  description = "Burst of requests the HTTP API lets through."
  type        = number
  default     = 1000

  validation {
    condition     = var.api_throttle_burst > 0
    error_message = "api_throttle_burst must be positive."
  }
}

variable "api_keys_secret_arn" {
  description = "Secrets Manager secret whose value (a JSON array of strings) holds the API keys the functions accept. Empty: one is created, its value set outside Terraform so that no key lands in the state."
  type        = string
  default     = ""

  validation {
    condition     = var.api_keys_secret_arn == "" || can(regex("^arn:aws[a-z-]*:secretsmanager:", var.api_keys_secret_arn))
    error_message = "api_keys_secret_arn must be a Secrets Manager ARN or empty."
  }
}

# --- Kafka ---

variable "kafka_bootstrap_servers" {
  description = "An existing cluster's bootstrap servers (host:port,...). Empty: an MSK Serverless cluster is created."
  type        = string
  default     = ""

  validation {
    condition     = var.kafka_bootstrap_servers == "" || can(regex("^[^,:]+:[0-9]+(,[^,:]+:[0-9]+)*$", var.kafka_bootstrap_servers))
    error_message = "kafka_bootstrap_servers must be host:port[,host:port...] or empty."
  }
}

variable "kafka_auth" {
  description = "How the functions and workers reach Kafka: iam (SASL/IAM over TLS; MSK, created or existing), tls (TLS only, an existing cluster that authenticates no client) or plaintext (an existing cluster, unencrypted: only if you mean it)."
  type        = string
  default     = "iam"

  validation {
    condition     = contains(["iam", "tls", "plaintext"], var.kafka_auth)
    error_message = "kafka_auth must be iam, tls or plaintext."
  }

  validation {
    condition     = var.kafka_bootstrap_servers != "" || var.kafka_auth == "iam"
    error_message = "kafka_auth: the MSK Serverless cluster this creates takes IAM authentication only."
  }
}

variable "kafka_ca_pem" {
  description = "With kafka_auth=tls and brokers whose certificates a private CA signed: that CA's certificate(s), PEM. Empty: the JVM's default trust store."
  type        = string
  default     = ""

  validation {
    condition     = var.kafka_ca_pem == "" || startswith(trimspace(var.kafka_ca_pem), "-----BEGIN CERTIFICATE-----")
    error_message = "kafka_ca_pem must be PEM certificates (-----BEGIN CERTIFICATE-----...) or empty."
  }

  validation {
    condition     = var.kafka_ca_pem == "" || var.kafka_auth == "tls"
    error_message = "kafka_ca_pem is for kafka_auth=tls (MSK's certificates are publicly trusted)."
  }
}

variable "kafka_cluster_arn" {
  description = "With an existing MSK cluster and kafka_auth=iam: its ARN, which the roles' Kafka permissions name."
  type        = string
  default     = ""

  validation {
    condition     = var.kafka_cluster_arn == "" || can(regex("^arn:aws[a-z-]*:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[^/]+/[^/]+$", var.kafka_cluster_arn))
    error_message = "kafka_cluster_arn must be an MSK cluster ARN (arn:aws:kafka:REGION:ACCOUNT:cluster/NAME/UUID) or empty."
  }

  validation {
    condition     = var.kafka_bootstrap_servers == "" || var.kafka_auth != "iam" || var.kafka_cluster_arn != ""
    error_message = "kafka_cluster_arn: an existing cluster with kafka_auth=iam needs its ARN (the roles may use only that cluster)."
  }
}

variable "feedback_partitions" {
  description = "Partitions of the feedback topic the worker creates (keyed by user id): the most consumers that can share it."
  type        = number
  default     = 6

  validation {
    condition     = var.feedback_partitions >= 1 && var.feedback_partitions <= 1000
    error_message = "feedback_partitions must be 1-1000."
  }
}

# --- checkpoints ---

variable "checkpoint_noncurrent_days" {
  description = "Days an overwritten or deleted checkpoint object is kept (bucket versioning) before it expires."
  type        = number
  default     = 7

  validation {
    condition     = var.checkpoint_noncurrent_days >= 1
    error_message = "checkpoint_noncurrent_days must be at least 1."
  }
}

# --- worker ---

variable "worker_instance_type" {
  description = "EC2 instance type of the GPU worker: the g5 or g6 family."
  type        = string
  default     = "g5.xlarge"

  validation {
    condition     = can(regex("^g(5|6|6e)\\.[0-9]*x?large$", var.worker_instance_type))
    error_message = "worker_instance_type must be a g5, g6 or g6e instance type, e.g. g5.xlarge."
  }
}

variable "serving_shards" {
  description = "0: one worker trains and serves every user. N: a dedicated trainer and N serving shards, each holding the users of the feedback partitions Kafka assigns it (at most feedback_partitions)."
  type        = number
  default     = 0
  validation {
    condition     = var.serving_shards >= 0 && var.serving_shards <= var.feedback_partitions
    error_message = "serving_shards must be between 0 and feedback_partitions: a shard without a partition serves nobody."
  }
}

variable "shard_instance_type" {
  description = "EC2 instance type of each serving shard (scoring only: the g5 or g6 family)."
  type        = string
  default     = "g5.xlarge"
  validation {
    condition     = can(regex("^g(5|6|6e)\\.[0-9]*x?large$", var.shard_instance_type))
    error_message = "shard_instance_type must be a g5, g6 or g6e instance type, e.g. g5.xlarge."
  }
}

variable "worker_ami_id" {
  description = "AMI of the worker: an AMI with NVIDIA drivers and Java 17+ (e.g. a Deep Learning Base AMI)."
  type        = string

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8,17}$", var.worker_ami_id))
    error_message = "worker_ami_id must be an AMI id (ami-...)."
  }
}

variable "worker_artifact_key" {
  description = "Key, in the checkpoint bucket, of the worker's packaged app (gpu-worker/target/quarkus-app as a tar.gz)."
  type        = string
  default     = "artifacts/gpu-worker.tar.gz"
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the functions' and the worker's logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

# --- Alarms ---

variable "alarm_email" {
  description = "An address subscribed to the alarms' SNS topic (it must confirm); empty: subscribe another way."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@ ]+@[^@ ]+\\.[^@ ]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or empty."
  }
}

variable "alarm_feedback_lag_records" {
  description = "Feedback records a worker may stay behind for 5 minutes before its lag alarm."
  type        = number
  default     = 100000

  validation {
    condition     = var.alarm_feedback_lag_records > 0
    error_message = "alarm_feedback_lag_records must be positive."
  }
}

variable "alarm_api_5xx_percent" {
  description = "Share of API requests answered 5xx over 5 minutes (percent) that raises the alarm."
  type        = number
  default     = 1

  validation {
    condition     = var.alarm_api_5xx_percent > 0 && var.alarm_api_5xx_percent <= 100
    error_message = "alarm_api_5xx_percent must be in (0, 100]."
  }
}
