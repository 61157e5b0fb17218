# ingest, items and the ranking calls: the same zip (functions-lambda: the Funqy functions behind Lambda's
# HTTP adapter), one Lambda function per route so each scales and is limited on its own, fronted by an
# API Gateway HTTP API with stage-wide throttling. The functions run in the VPC (Kafka is private). Each has a
# role of its own: its own log group, the API-key secret, and exactly the topics its call uses; each starts only
# the Kafka clients of its call (FUNCTIONS_CALLS), so a role without the others' topics is enough.

variable "name" {
  type = string
}

variable "runtime" {
  type = string
}

variable "zip" {
  type = string
}

variable "memory_mb" {
  type = number
}

variable "timeout_seconds" {
  type = number
}

variable "subnet_ids" {
  type = list(string)
}

variable "vpc_id" {
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

variable "api_keys_secret_arn" {
  type = string
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

variable "throttle_rate" {
  type = number
}

variable "throttle_burst" {
  type = number
}

variable "log_retention_days" {
  type = number
}

locals {
  # What each call touches: the topic it writes; the write calls publish through one transactional producer
  # (transactional ids feedback-ingest-*), the scoring calls read their replies on score-replies.
  calls = {
    "ingest"            = { writes = "feedback", scoring = false }
    "forget-user"       = { writes = "feedback", scoring = false }
    "items"             = { writes = "items", scoring = false }
    "recommend"         = { writes = "score-requests", scoring = true }
    "recommend-session" = { writes = "score-requests", scoring = true }
    "rerank"            = { writes = "score-requests", scoring = true }
    "similar-items"     = { writes = "score-requests", scoring = true }
  }
  functions = toset(keys(local.calls))
  native    = var.runtime == "provided.al2023"
  topic_arn = var.kafka.cluster_arn == "" ? "" : replace(var.kafka.cluster_arn, ":cluster/", ":topic/")
  group_arn = var.kafka.cluster_arn == "" ? "" : replace(var.kafka.cluster_arn, ":cluster/", ":group/")
}

resource "aws_cloudwatch_log_group" "function" {
  for_each          = local.functions
  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "functions" {
  name_prefix = "${var.name}-functions-"
  description = "Lambda functions: no inbound traffic; outbound to Kafka and AWS APIs"
  vpc_id      = var.vpc_id
}

module "egress" {
  source            = "../egress"
  security_group_id = aws_security_group.functions.id
  egress            = var.egress
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = local.functions
  name_prefix        = substr("${var.name}-${each.key}-", 0, 38)
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "vpc" {
  for_each   = local.functions
  role       = aws_iam_role.function[each.key].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  statement {
    sid       = "ApiKeys"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.api_keys_secret_arn]
  }

  dynamic "statement" {
    for_each = var.kafka.cluster_arn == "" ? [] : [1]
    content {
      sid = "KafkaConnect"
      # Idempotent writes are a cluster-level right; the scoring calls' plain producer asks for it too.
      actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"]
      resources = [var.kafka.cluster_arn]
    }
  }

  dynamic "statement" {
    for_each = var.kafka.cluster_arn == "" ? [] : [1]
    content {
      sid       = "KafkaProduce"
      actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
      resources = ["${local.topic_arn}/${local.calls[each.key].writes}"]
    }
  }

  dynamic "statement" {
    for_each = var.kafka.cluster_arn != "" && !local.calls[each.key].scoring ? [1] : []
    content {
      sid       = "KafkaTransactions"
      actions   = ["kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId"]
      resources = [replace("${var.kafka.cluster_arn}/feedback-ingest-*", ":cluster/", ":transactional-id/")]
    }
  }

  dynamic "statement" {
    for_each = var.kafka.cluster_arn != "" && local.calls[each.key].scoring ? [1] : []
    content {
      sid       = "KafkaReplies"
      actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
      resources = ["${local.topic_arn}/score-replies", "${local.group_arn}/functions-replies-*"]
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each    = local.functions
  name_prefix = substr("${var.name}-${each.key}-", 0, 38)
  role        = aws_iam_role.function[each.key].id
  policy      = data.aws_iam_policy_document.function[each.key].json
}

resource "aws_lambda_function" "this" {
  for_each         = local.functions
  function_name    = "${var.name}-${each.key}"
  role             = aws_iam_role.function[each.key].arn
  runtime          = var.runtime
  architectures    = ["x86_64"]
  filename         = var.zip
  source_code_hash = try(filebase64sha256(var.zip), null)
  # The native zip's bootstrap ignores the handler; the JVM build goes through Quarkus' stream handler.
  handler     = local.native ? "not.used.in.provided.runtime" : "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
  memory_size = var.memory_mb
  timeout     = var.timeout_seconds
  # Each deploy publishes a version; the API calls the "live" alias, which points at it.
  publish = true

  # JVM runtimes start from a snapshot taken after Quarkus has started the application and primed its
  # request path (SnapStart); on restore the functions re-read their API keys and skip to the newest replies.
  dynamic "snap_start" {
    for_each = local.native ? [] : [1]
    content {
      apply_on = "PublishedVersions"
    }
  }

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }

  environment {
    variables = {
      KAFKA_BOOTSTRAP_SERVERS        = var.kafka.bootstrap_servers
      FUNCTIONS_AUTH_API_KEYS_SECRET = var.api_keys_secret_arn
      QUARKUS_PROFILE                = var.kafka.profile
      DISABLE_SIGNAL_HANDLERS        = local.native ? "true" : null
      # This Lambda answers its own call only and starts only that call's Kafka clients.
      KAFKA_SSL_TRUSTSTORE_TYPE         = var.kafka.ca_pem == "" ? null : "PEM"
      KAFKA_SSL_TRUSTSTORE_CERTIFICATES = var.kafka.ca_pem == "" ? null : var.kafka.ca_pem
      FUNCTIONS_CALLS                   = each.key
      FUNCTIONS_SCORING_CHANNEL         = tostring(local.calls[each.key].scoring)
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  depends_on = [aws_iam_role_policy.function, aws_iam_role_policy_attachment.vpc]
}

resource "aws_lambda_alias" "live" {
  for_each         = local.functions
  name             = "live"
  function_name    = aws_lambda_function.this[each.key].function_name
  function_version = aws_lambda_function.this[each.key].version
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "this" {
  for_each               = local.functions
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_alias.live[each.key].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "this" {
  for_each  = local.functions
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "POST /${each.key}"
  target    = "integrations/${aws_apigatewayv2_integration.this[each.key].id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.throttle_rate
    throttling_burst_limit = var.throttle_burst
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api.arn
    format = jsonencode({
      requestId = "$context.requestId"
      route     = "$context.routeKey"
      status    = "$context.status"
      latencyMs = "$context.responseLatency"
    })
  }
}

resource "aws_lambda_permission" "api" {
  for_each      = local.functions
  statement_id  = "AllowHttpApi"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this[each.key].function_name
  qualifier     = aws_lambda_alias.live[each.key].name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*/${each.key}"
}

output "api_endpoint" {
  value = aws_apigatewayv2_api.this.api_endpoint
}

output "api_id" {
  value = aws_apigatewayv2_api.this.id
}

output "security_group_id" {
  value = aws_security_group.functions.id
}

output "function_names" {
  value = [for f in aws_lambda_function.this : f.function_name]
}
