# A group of workers in one mode: the primary (one instance: trains and serves), the trainer of a sharded
# deployment (one instance: trains, serves nothing), or serving shards (N instances sharing one feedback group;
# each holds the users of the partitions Kafka gives it). An Auto Scaling group replaces an instance that dies;
# it recovers from the checkpoints. Private subnets, no inbound traffic at all, IMDSv2 only, encrypted disk.
# Each mode's role may touch only what that mode needs: its prefix of the checkpoint bucket (a shard only
# reads it), its artifact, its log group and its Kafka topics and groups (a shard creates no topic).

variable "name" {
  type = string
}

variable "instance_type" {
  type = string
}

variable "ami_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "vpc_id" {
  type = string
}

variable "bucket" {
  type = string
}

variable "bucket_arn" {
  type = string
}

variable "artifact_key" {
  type = string
}

variable "kafka" {
  description = <<-EOT
    How this group reaches Kafka: bootstrap_servers; profile, the application profile for the clients (msk:
    SASL/IAM over TLS, tls, or prod: plaintext); cluster_arn, empty when the cluster is not MSK with IAM auth (no
    Kafka statements in the role then); ca_pem, PEM certificates (one line) the clients trust, empty for the
    JVM's defaults.
  EOT
  type = object({
    bootstrap_servers = string
    profile           = string
    cluster_arn       = string
    ca_pem            = optional(string, "")
  })
}

variable "metrics_namespace" {
  description = "CloudWatch namespace the watchdog reports the worker's health, lag and checkpoint failures in."
  type        = string
}

variable "feedback_partitions" {
  type = number
}

variable "log_retention_days" {
  type = number
}

variable "egress" {
  description = "Where this group may connect (see modules/egress)."
  type = object({
    endpoints_security_group_id = string
    s3                          = bool
    s3_prefix_list_id           = string
    kafka_security_group_id     = string
    kafka_cidrs                 = list(string)
  })
}

variable "mode" {
  description = "primary, trainer or shard (worker.mode)"
  type        = string
  default     = "primary"
  validation {
    condition     = contains(["primary", "trainer", "shard"], var.mode)
    error_message = "mode must be primary, trainer or shard."
  }
}

variable "instances" {
  description = "How many instances: 1 for a primary or trainer, the shard count for shards."
  type        = number
  default     = 1
  validation {
    condition     = var.instances >= 1
    error_message = "instances must be at least 1."
  }
}

locals {
  prefix = "worker"
  suffix = var.mode == "primary" ? "worker" : var.mode
  trains = var.mode != "shard"
  serves = var.mode != "trainer"
  # A shard reads the trainer's checkpoints; only the worker that trains writes (and prunes) them.
  checkpoint_actions = local.trains ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"]
  # Topics by what the mode does with them (docs/topics.md); dead-letter topics take what it refuses.
  reads  = concat(["feedback", "items"], local.serves ? ["score-requests"] : [])
  writes = concat(["feedback-dlq", "items-dlq"], local.serves ? ["score-replies", "score-requests-dlq"] : [])
  # The feedback group: the trainer's (or primary's), or the shards' own, shared by all of them.
  feedback_group = var.mode == "shard" ? "gpu-worker-shards" : "gpu-worker-feedback"
  topic_arn      = var.kafka.cluster_arn == "" ? "" : replace(var.kafka.cluster_arn, ":cluster/", ":topic/")
  group_arn      = var.kafka.cluster_arn == "" ? "" : replace(var.kafka.cluster_arn, ":cluster/", ":group/")
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/${var.name}/gpu-${local.suffix}"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "worker" {
  name_prefix = "${var.name}-${local.suffix}-"
  description = "GPU worker (${var.mode}): no inbound traffic; outbound to Kafka, S3 and AWS APIs"
  vpc_id      = var.vpc_id
}

module "egress" {
  source            = "../egress"
  security_group_id = aws_security_group.worker.id
  egress            = var.egress
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "worker" {
  name_prefix        = "${var.name}-${local.suffix}-"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "ListOwnPrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.prefix}/*"]
    }
  }

  statement {
    sid       = "CheckpointObjects"
    actions   = local.checkpoint_actions
    resources = ["${var.bucket_arn}/${local.prefix}/*"]
  }

  # The watchdog in the user data hands back an instance whose worker is not live; only instances of this
  # group (by its tag), and only their health.
  statement {
    sid       = "OwnInstanceHealth"
    actions   = ["autoscaling:SetInstanceHealth"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "autoscaling:ResourceTag/recsys-group"
      values   = ["${var.name}-${local.suffix}"]
    }
  }

  statement {
    sid       = "Metrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metrics_namespace]
    }
  }

  statement {
    sid       = "Artifact"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arn}/${var.artifact_key}"]
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.worker.arn}:*"]
  }

  dynamic "statement" {
    for_each = var.kafka.cluster_arn == "" ? [] : [1]
    content {
      sid       = "KafkaConnect"
      actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
      resources = [var.kafka.cluster_arn]
    }
  }

  dynamic "statement" {
    for_each = var.kafka.cluster_arn == "" ? [] : [1]
    content {
      sid       = "KafkaRead"
      actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
      resources = [for t in local.reads : "${local.topic_arn}/${t}"]
    }
  }

  dynamic "statement" {
    for_each = var.kafka.cluster_arn == "" ? [] : [1]
    content {
      sid       = "KafkaWrite"
      actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
      resources = [for t in local.writes : "${local.topic_arn}/${t}"]
    }
  }

  # The worker that trains creates the topics (worker.topics.create); shards find them made.
  dynamic "statement" {
    for_each = var.kafka.cluster_arn == "" || !local.trains ? [] : [1]
    content {
      sid       = "KafkaCreateTopics"
      actions   = ["kafka-cluster:CreateTopic"]
      resources = [for t in distinct(concat(local.reads, local.writes, ["score-requests", "score-replies"])) : "${local.topic_arn}/${t}"]
    }
  }

  dynamic "statement" {
    for_each = var.kafka.cluster_arn == "" ? [] : [1]
    content {
      sid       = "KafkaGroups"
      actions   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
      resources = ["${local.group_arn}/gpu-worker-*"]
    }
  }
}

resource "aws_iam_role_policy" "worker" {
  name_prefix = "${var.name}-${local.suffix}-"
  role        = aws_iam_role.worker.id
  policy      = data.aws_iam_policy_document.worker.json
}

resource "aws_iam_instance_profile" "worker" {
  name_prefix = "${var.name}-${local.suffix}-"
  role        = aws_iam_role.worker.name
}

resource "aws_launch_template" "worker" {
  name_prefix            = "${var.name}-${local.suffix}-"
  image_id               = var.ami_id
  instance_type          = var.instance_type
  vpc_security_group_ids = [aws_security_group.worker.id]

  iam_instance_profile {
    arn = aws_iam_instance_profile.worker.arn
  }

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      volume_type = "gp3"
      encrypted   = true
    }
  }

  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    bucket              = var.bucket
    artifact_key        = var.artifact_key
    checkpoint_store    = "s3://${var.bucket}/${local.prefix}"
    bootstrap_servers   = var.kafka.bootstrap_servers
    kafka_profile       = var.kafka.profile
    kafka_ca_pem        = var.kafka.ca_pem
    log_group           = aws_cloudwatch_log_group.worker.name
    feedback_partitions = var.feedback_partitions
    mode                = var.mode
    create_topics       = local.trains
    feedback_group      = local.feedback_group
    metrics_namespace   = var.metrics_namespace
    group               = "${var.name}-${local.suffix}"
  }))
}

resource "aws_autoscaling_group" "worker" {
  name_prefix         = "${var.name}-${local.suffix}-"
  min_size            = var.instances
  max_size            = var.instances
  desired_capacity    = var.instances
  vpc_zone_identifier = var.subnet_ids
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.worker.id
    version = aws_launch_template.worker.latest_version
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-gpu-${local.suffix}"
    propagate_at_launch = true
  }

  # What the role's SetInstanceHealth is limited to.
  tag {
    key                 = "recsys-group"
    value               = "${var.name}-${local.suffix}"
    propagate_at_launch = false
  }
}

output "security_group_id" {
  value = aws_security_group.worker.id
}

output "metrics_group" {
  description = "The Group dimension of this group's metrics."
  value       = "${var.name}-${local.suffix}"
}

output "autoscaling_group" {
  value = aws_autoscaling_group.worker.name
}

output "role_arn" {
  value = aws_iam_role.worker.arn
}

output "instances" {
  value = aws_autoscaling_group.worker.desired_capacity
}

output "checkpoint_actions" {
  description = "What the role may do with the checkpoint objects."
  value       = local.checkpoint_actions
}

output "topics_written" {
  description = "The Kafka topics the role may write."
  value       = local.writes
}

output "kafka_egress_cidrs" {
  description = "The Kafka destinations the group may reach by CIDR (an existing cluster)."
  value       = module.egress.kafka_cidrs
}

