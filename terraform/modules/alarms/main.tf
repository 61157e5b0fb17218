# Alarms on what an operator must act on: a worker group not ready or not reporting, feedback piling up unread
# or held unreadable by another producer's open transaction,
# checkpoints failing (a restart would replay further back, and the shards' tables go stale), and the API
# answering 5xx. Every alarm notifies one SNS topic (encrypted); subscribe to it, or give alarm_email.

variable "name" {
  type = string
}

variable "metrics_namespace" {
  description = "Where the workers' watchdogs report Ready, Live, FeedbackLag, FeedbackHeld and CheckpointFailures."
  type        = string
}

variable "worker_groups" {
  description = "The Group dimension of each worker group's metrics (the primary or trainer, and the shards)."
  type        = list(string)
}

variable "api_id" {
  type = string
}

variable "feedback_lag_records" {
  description = "Feedback records a worker may be behind for 5 minutes before the alarm."
  type        = number
}

variable "api_5xx_percent" {
  description = "Share of API requests answered 5xx over 5 minutes that raises the alarm."
  type        = number
}

variable "email" {
  description = "An address subscribed to the alarm topic; empty: none (subscribe another way)."
  type        = string
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.email
}

locals {
  # What each worker group is watched for, from the metrics its watchdog reports.
  worker_alarms = {
    "not-ready" = {
      description = "no instance reported ready for 5 minutes (or none reported at all)"
      metric      = "Ready", statistic = "Maximum", period = 60, periods = 5
      comparison  = "LessThanThreshold", threshold = 1
      # A worker that stopped reporting is as bad as one reporting 0.
      missing = "breaching"
    }
    "feedback-lag" = {
      description = "more than ${var.feedback_lag_records} feedback records unread for 5 minutes"
      metric      = "FeedbackLag", statistic = "Maximum", period = 60, periods = 5
      comparison  = "GreaterThanThreshold", threshold = var.feedback_lag_records
      missing     = "notBreaching" # not-ready covers silence
    }
    "feedback-held" = {
      description = "a feedback partition held by an open transaction (no reader can read past it; ingest answers 503 for it) for 2 minutes"
      metric      = "FeedbackHeld", statistic = "Maximum", period = 60, periods = 2
      comparison  = "GreaterThanThreshold", threshold = 0
      missing     = "notBreaching"
    }
    "checkpoint-failures" = {
      description = "3 or more checkpoints (or, on shards, checkpoint reloads) failed within 15 minutes"
      metric      = "CheckpointFailures", statistic = "Sum", period = 900, periods = 1
      comparison  = "GreaterThanOrEqualToThreshold", threshold = 3
      missing     = "notBreaching"
    }
  }
  watched = { for pair in setproduct(var.worker_groups, keys(local.worker_alarms)) :
    "${pair[0]}-${pair[1]}" => merge(local.worker_alarms[pair[1]], { group = pair[0] })
  }
}

resource "aws_cloudwatch_metric_alarm" "worker" {
  for_each            = local.watched
  alarm_name          = each.key
  alarm_description   = "${each.value.group}: ${each.value.description}"
  namespace           = var.metrics_namespace
  metric_name         = each.value.metric
  dimensions          = { Group = each.value.group }
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${var.name}-api-5xx"
  alarm_description   = "more than ${var.api_5xx_percent}% of API requests answered 5xx over 5 minutes"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.api_5xx_percent
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "5xx %"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5xx"
      dimensions  = { ApiId = var.api_id, Stage = "$default" }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiId = var.api_id, Stage = "$default" }
      stat        = "Sum"
      period      = 300
    }
  }
}

output "topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  value = concat([for a in aws_cloudwatch_metric_alarm.worker : a.alarm_name], [aws_cloudwatch_metric_alarm.api_5xx.alarm_name])
}
