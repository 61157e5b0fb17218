# The GPU worker: one instance in an Auto Scaling group of one (replaced if it dies; it recovers from its
# latest checkpoint), private subnets, no inbound traffic at all, IMDSv2 only, encrypted disk. Its role may
# touch only its prefix of the checkpoint bucket, its artifact, its log group and its Kafka topics/groups.

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

variable "kafka_bootstrap_servers" {
  type = string
}

variable "kafka_cluster_arn" {
  type = string
}

variable "feedback_partitions" {
  type = number
}

variable "log_retention_days" {
  type = number
}

locals {
  prefix    = "worker"
  topic_arn = var.kafka_cluster_arn == "" ? "" : replace(var.kafka_cluster_arn, ":cluster/", ":topic/")
  group_arn = var.kafka_cluster_arn == "" ? "" : replace(var.kafka_cluster_arn, ":cluster/", ":group/")
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/${var.name}/gpu-worker"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "worker" {
  name_prefix = "${var.name}-worker-"
  description = "GPU worker: no inbound traffic; outbound to Kafka, S3 and AWS APIs"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "worker" {
  security_group_id = aws_security_group.worker.id
  description       = "Kafka, S3 and AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 9098
  cidr_ipv4         = "0.0.0.0/0"
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
  name_prefix        = "${var.name}-worker-"
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
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.bucket_arn}/${local.prefix}/*"]
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
    for_each = var.kafka_cluster_arn == "" ? [] : [1]
    content {
      sid       = "KafkaConnect"
      actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
      resources = [var.kafka_cluster_arn]
    }
  }

  dynamic "statement" {
    for_each = var.kafka_cluster_arn == "" ? [] : [1]
    content {
      sid     = "KafkaTopics"
      actions = ["kafka-cluster:DescribeTopic", "kafka-cluster:CreateTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"]
      resources = [
        "${local.topic_arn}/feedback",
        "${local.topic_arn}/items",
        "${local.topic_arn}/score-requests",
        "${local.topic_arn}/score-replies",
        # Where the worker puts records it refuses (docs/topics.md).
        "${local.topic_arn}/feedback-dlq",
        "${local.topic_arn}/items-dlq",
        "${local.topic_arn}/score-requests-dlq",
      ]
    }
  }

  dynamic "statement" {
    for_each = var.kafka_cluster_arn == "" ? [] : [1]
    content {
      sid       = "KafkaGroups"
      actions   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
      resources = ["${local.group_arn}/gpu-worker-*"]
    }
  }
}

resource "aws_iam_role_policy" "worker" {
  name_prefix = "${var.name}-worker-"
  role        = aws_iam_role.worker.id
  policy      = data.aws_iam_policy_document.worker.json
}

resource "aws_iam_instance_profile" "worker" {
  name_prefix = "${var.name}-worker-"
  role        = aws_iam_role.worker.name
}

resource "aws_launch_template" "worker" {
  name_prefix            = "${var.name}-worker-"
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
    bootstrap_servers   = var.kafka_bootstrap_servers
    msk_iam             = var.kafka_cluster_arn != ""
    log_group           = aws_cloudwatch_log_group.worker.name
    feedback_partitions = var.feedback_partitions
  }))
}

resource "aws_autoscaling_group" "worker" {
  name_prefix         = "${var.name}-worker-"
  min_size            = 1
  max_size            = 1
  desired_capacity    = 1
  vpc_zone_identifier = var.subnet_ids
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.worker.id
    version = aws_launch_template.worker.latest_version
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-gpu-worker"
    propagate_at_launch = true
  }
}

output "security_group_id" {
  value = aws_security_group.worker.id
}

output "autoscaling_group" {
  value = aws_autoscaling_group.worker.name
}

output "role_arn" {
  value = aws_iam_role.worker.arn
}
