# What each configuration must create, planned against a mocked AWS provider.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  vpc_id                  = "vpc-0123456789abcdef0"
  private_subnet_ids      = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  private_route_table_ids = ["rtb-0123456789abcdef0"]
  worker_ami_id           = "ami-0123456789abcdef0"
}

run "defaults_create_msk_and_everything_else" {
  command = plan

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.kafka_from_worker) == 1 && length(aws_vpc_security_group_ingress_rule.kafka_from_functions) == 1
    error_message = "with no bootstrap servers given, MSK Serverless and its ingress rules are created"
  }

  assert {
    condition     = length(aws_secretsmanager_secret.api_keys) == 1
    error_message = "an API-key secret is created when none is given"
  }

  assert {
    condition     = length(module.alarms.alarm_names) == 5 && contains(module.alarms.alarm_names, "recsys-dev-worker-feedback-held") && contains(module.alarms.alarm_names, "recsys-dev-worker-not-ready") && contains(module.alarms.alarm_names, "recsys-dev-worker-feedback-lag") && contains(module.alarms.alarm_names, "recsys-dev-worker-checkpoint-failures") && contains(module.alarms.alarm_names, "recsys-dev-api-5xx")
    error_message = "alarms on the worker's readiness, feedback lag and checkpoint failures, and on the API's 5xx rate"
  }
}

run "an_existing_cluster_creates_no_msk" {
  command = plan
  variables {
    kafka_bootstrap_servers = "b-1.example.com:9092,b-2.example.com:9092"
    kafka_cidrs             = ["10.0.8.0/24"]
    kafka_auth              = "tls"
    api_keys_secret_arn     = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf"
  }

  assert {
    condition     = module.kafka.cluster_arn == ""
    error_message = "a cluster reached over TLS without IAM gets no Kafka IAM permissions"
  }

  assert {
    condition     = length(module.worker.kafka_egress_cidrs) == 1 && module.worker.kafka_egress_cidrs[0] == "10.0.8.0/24"
    error_message = "with an existing cluster the workers reach Kafka at its brokers' CIDRs only"
  }

  assert {
    condition     = module.kafka.bootstrap_servers == "b-1.example.com:9092,b-2.example.com:9092"
    error_message = "the given bootstrap servers are passed on"
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.kafka_from_functions) == 0 && length(aws_vpc_security_group_ingress_rule.kafka_from_worker) == 0
    error_message = "no MSK ingress rules for an existing cluster"
  }

  assert {
    condition     = length(aws_secretsmanager_secret.api_keys) == 0
    error_message = "no new secret when one is given"
  }
}

run "an_existing_msk_cluster_with_iam" {
  command = plan
  variables {
    kafka_bootstrap_servers = "b-1.example.com:9098"
    kafka_cidrs             = ["10.0.8.0/24"]
    kafka_cluster_arn       = "arn:aws:kafka:eu-west-1:123456789012:cluster/existing/0123-abcd"
  }

  assert {
    condition     = module.kafka.cluster_arn == "arn:aws:kafka:eu-west-1:123456789012:cluster/existing/0123-abcd"
    error_message = "the roles' Kafka permissions name the existing cluster"
  }
}

run "checkpoint_bucket_is_private_versioned_encrypted" {
  command = plan
  module {
    source = "./modules/checkpoints"
  }
  variables {
    name            = "recsys-test"
    noncurrent_days = 7
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "versioning is on"
  }

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "every public access is blocked"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : one(r.apply_server_side_encryption_by_default).sse_algorithm]) == "aws:kms"
    error_message = "objects are encrypted with KMS"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_lifecycle_configuration.this.rule : one(r.noncurrent_version_expiration).noncurrent_days]) == 7
    error_message = "old versions expire"
  }
}

run "worker_is_one_private_instance" {
  command = plan
  module {
    source = "./modules/worker"
  }
  variables {
    name          = "recsys-test"
    instance_type = "g6.xlarge"
    ami_id        = "ami-0123456789abcdef0"
    vpc_id        = "vpc-0123456789abcdef0"
    subnet_ids    = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    bucket        = "recsys-test-checkpoints"
    bucket_arn    = "arn:aws:s3:::recsys-test-checkpoints"
    artifact_key  = "artifacts/gpu-worker.tar.gz"
    kafka = {
      bootstrap_servers = "b-1.example.com:9098"
      cluster_arn       = "arn:aws:kafka:eu-west-1:123456789012:cluster/recsys/abc"
      profile           = "msk"
      ca_pem            = "-----BEGIN CERTIFICATE----- MIIB -----END CERTIFICATE-----"
    }
    metrics_namespace   = "recsys/recsys-test"
    feedback_partitions = 12
    log_retention_days  = 30
    egress = {
      endpoints_security_group_id = "sg-0123456789abcdef0"
      s3                          = true
      s3_prefix_list_id           = "pl-0123456789abcdef0"
      kafka_security_group_id     = "sg-0fedcba9876543210"
      kafka_cidrs                 = []
    }
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.worker.user_data), "WORKER_TOPICS_FEEDBACK_PARTITIONS=12")
    error_message = "the worker creates its topics with the configured partitions"
  }

  assert {
    condition     = aws_autoscaling_group.worker.min_size == 1 && aws_autoscaling_group.worker.max_size == 1
    error_message = "an Auto Scaling group of exactly one"
  }

  assert {
    condition = strcontains(base64decode(aws_launch_template.worker.user_data), "aws autoscaling set-instance-health") && anytrue([
    for t in aws_autoscaling_group.worker.tag : t.key == "recsys-group" && t.value == "recsys-test-worker"])
    error_message = "a worker that is not live hands its instance back to its own group, which the role's tag condition names"
  }

  assert {
    condition     = length(module.egress.kafka_cidrs) == 0 && module.egress.kafka_security_group_port == 9098 && module.egress.endpoints_port == 443 && module.egress.s3_prefix_list_id == "pl-0123456789abcdef0"
    error_message = "the worker reaches Kafka at its security group, AWS APIs through the endpoints and S3 through its prefix list, nothing else"
  }

  assert {
    condition = strcontains(base64decode(aws_launch_template.worker.user_data), "put-metric-data --namespace \"recsys/recsys-test\"") && strcontains(base64decode(aws_launch_template.worker.user_data), "Value=recsys-test-worker}") && anytrue([
      for st in data.aws_iam_policy_document.worker.statement : st.sid == "Metrics" && contains(st.actions, "cloudwatch:PutMetricData") && anytrue([for c in st.condition : c.variable == "cloudwatch:namespace" && contains(c.values, "recsys/recsys-test")])
    ])
    error_message = "the watchdog reports the worker's metrics to its own namespace, the only one its role may write"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.worker.user_data), "KAFKA_SSL_TRUSTSTORE_TYPE=PEM\nKAFKA_SSL_TRUSTSTORE_CERTIFICATES=\"-----BEGIN CERTIFICATE----- MIIB -----END CERTIFICATE-----\"")
    error_message = "a private CA reaches the worker's Kafka clients as an inline PEM trust store"
  }

  assert {
    condition     = aws_launch_template.worker.instance_type == "g6.xlarge"
    error_message = "the instance type comes from the variable"
  }

  assert {
    condition     = one(aws_launch_template.worker.metadata_options).http_tokens == "required"
    error_message = "IMDSv2 only"
  }

  assert {
    condition     = one(one(aws_launch_template.worker.block_device_mappings).ebs).encrypted == "true"
    error_message = "the disk is encrypted"
  }

  assert {
    condition     = length(aws_launch_template.worker.network_interfaces) == 0
    error_message = "no network interface with a public address"
  }
}

run "serving_shards_read_checkpoints_and_write_only_replies_and_dead_letters" {
  command = plan
  module {
    source = "./modules/worker"
  }
  variables {
    name          = "recsys-test"
    mode          = "shard"
    instances     = 3
    instance_type = "g5.xlarge"
    ami_id        = "ami-0123456789abcdef0"
    vpc_id        = "vpc-0123456789abcdef0"
    subnet_ids    = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    bucket        = "recsys-test-checkpoints"
    bucket_arn    = "arn:aws:s3:::recsys-test-checkpoints"
    artifact_key  = "artifacts/gpu-worker.tar.gz"
    kafka = {
      bootstrap_servers = "b-1.example.com:9098"
      cluster_arn       = "arn:aws:kafka:eu-west-1:123456789012:cluster/recsys/abc"
      profile           = "msk"
    }
    metrics_namespace   = "recsys/recsys-test"
    feedback_partitions = 12
    log_retention_days  = 30
    egress = {
      endpoints_security_group_id = "sg-0123456789abcdef0"
      s3                          = true
      s3_prefix_list_id           = "pl-0123456789abcdef0"
      kafka_security_group_id     = "sg-0fedcba9876543210"
      kafka_cidrs                 = []
    }
  }

  assert {
    condition     = aws_autoscaling_group.worker.min_size == 3 && aws_autoscaling_group.worker.max_size == 3
    error_message = "a group of exactly the shard count"
  }

  assert {
    condition = alltrue([for line in ["WORKER_MODE=shard", "MP_MESSAGING_INCOMING_FEEDBACK_GROUP_ID=gpu-worker-shards",
    "WORKER_TOPICS_CREATE=false", "WORKER_TOPICS_SCORING_PARTITIONS=12"] : strcontains(base64decode(aws_launch_template.worker.user_data), line)])
    error_message = "shards share their own feedback group, create no topics and expect co-partitioned score requests"
  }

  assert {
    condition     = output.checkpoint_actions == tolist(["s3:GetObject"])
    error_message = "a shard only reads the trainer's checkpoints"
  }

  assert {
    condition     = !contains(output.topics_written, "feedback") && contains(output.topics_written, "score-replies")
    error_message = "a shard writes replies and dead letters, never the feedback log"
  }
}

run "a_sharded_deployment_has_a_trainer_and_a_group_of_shards" {
  command = plan
  variables {
    serving_shards = 3
  }

  assert {
    condition     = module.shards[0].instances == 3 && length(aws_vpc_security_group_ingress_rule.kafka_from_shards) == 1
    error_message = "three shards, reachable to MSK"
  }

  assert {
    condition     = contains(module.worker.checkpoint_actions, "s3:PutObject") && !contains(module.worker.topics_written, "score-replies")
    error_message = "the trainer writes checkpoints and answers no score requests"
  }

  assert {
    condition     = length(module.alarms.alarm_names) == 9 && contains(module.alarms.alarm_names, "recsys-dev-trainer-not-ready") && contains(module.alarms.alarm_names, "recsys-dev-shard-feedback-lag")
    error_message = "the trainer and the shard group each have their own not-ready, lag and checkpoint alarms"
  }
}

run "more_shards_than_feedback_partitions_is_refused" {
  command = plan
  variables {
    serving_shards      = 13
    feedback_partitions = 12
  }
  expect_failures = [var.serving_shards]
}

run "functions_behind_a_throttled_http_api" {
  command = plan
  module {
    source = "./modules/functions"
  }
  variables {
    name            = "recsys-test"
    runtime         = "java21"
    zip             = "missing.zip"
    memory_mb       = 512
    timeout_seconds = 10
    vpc_id          = "vpc-0123456789abcdef0"
    subnet_ids      = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    kafka = {
      bootstrap_servers = "b-1.example.com:9098"
      cluster_arn       = "arn:aws:kafka:eu-west-1:123456789012:cluster/recsys/abc"
      profile           = "msk"
      ca_pem            = "-----BEGIN CERTIFICATE----- MIIB -----END CERTIFICATE-----"
    }
    api_keys_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf"
    throttle_rate       = 123
    throttle_burst      = 456
    log_retention_days  = 30
    egress = {
      endpoints_security_group_id = "sg-0123456789abcdef0"
      s3                          = true
      s3_prefix_list_id           = "pl-0123456789abcdef0"
      kafka_security_group_id     = "sg-0fedcba9876543210"
      kafka_cidrs                 = []
    }
  }

  assert {
    condition     = length(aws_lambda_function.this) == 7 && length(aws_apigatewayv2_route.this) == 7
    error_message = "seven functions (ingest, items, forget-user, recommend, recommend-session, rerank, similar-items), each with its route"
  }

  assert {
    condition     = alltrue([for f in ["ingest", "items", "forget-user", "recommend", "recommend-session", "rerank", "similar-items"] : aws_apigatewayv2_route.this[f].route_key == "POST /${f}"])
    error_message = "a POST route named after each function"
  }

  assert {
    condition     = one(aws_apigatewayv2_stage.default.default_route_settings).throttling_rate_limit == 123 && one(aws_apigatewayv2_stage.default.default_route_settings).throttling_burst_limit == 456
    error_message = "stage throttling comes from the variables"
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.this : f.publish && one(f.snap_start).apply_on == "PublishedVersions"])
    error_message = "the JVM functions publish versions and start from SnapStart snapshots"
  }

  assert {
    condition     = alltrue([for p in aws_lambda_permission.api : p.qualifier == "live"]) && alltrue([for a in aws_lambda_alias.live : a.name == "live"])
    error_message = "the API may invoke each function's live alias (a published version) only"
  }

  assert {
    condition     = aws_lambda_function.this["ingest"].handler == "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
    error_message = "the JVM runtime goes through Quarkus' stream handler"
  }

  assert {
    condition = alltrue([for f, topics in {
      "ingest"            = ["feedback"]
      "forget-user"       = ["feedback"]
      "items"             = ["items"]
      "recommend"         = ["score-requests", "score-replies"]
      "recommend-session" = ["score-requests", "score-replies"]
      "rerank"            = ["score-requests", "score-replies"]
      "similar-items"     = ["score-requests", "score-replies"]
      } : toset(flatten([for st in data.aws_iam_policy_document.function[f].statement :
        [for r in st.resources : r if strcontains(r, ":topic/")] if startswith(st.sid, "Kafka")
    ])) == toset([for t in topics : "arn:aws:kafka:eu-west-1:123456789012:topic/recsys/abc/${t}"])])
    error_message = "each function's role names exactly the topics of its call"
  }

  assert {
    condition = alltrue([for f in ["ingest", "items", "forget-user"] :
      length([for st in data.aws_iam_policy_document.function[f].statement : st if st.sid == "KafkaReplies"]) == 0 &&
      length([for st in data.aws_iam_policy_document.function[f].statement : st if st.sid == "KafkaTransactions"]) == 1
      ]) && alltrue([for f in ["recommend", "recommend-session", "rerank", "similar-items"] :
      length([for st in data.aws_iam_policy_document.function[f].statement : st if st.sid == "KafkaTransactions"]) == 0
    ])
    error_message = "only the write calls may use transactions; only the scoring calls read replies"
  }

  assert {
    condition     = length(distinct([for r in aws_iam_role.function : r.name_prefix])) == 7
    error_message = "one role per function"
  }

  assert {
    condition     = aws_lambda_function.this["ingest"].environment[0].variables["FUNCTIONS_CALLS"] == "ingest" && aws_lambda_function.this["ingest"].environment[0].variables["FUNCTIONS_SCORING_CHANNEL"] == "false" && aws_lambda_function.this["rerank"].environment[0].variables["FUNCTIONS_SCORING_CHANNEL"] == "true"
    error_message = "each Lambda answers its own call and starts the scoring channel only for a scoring call"
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.this : f.environment[0].variables["KAFKA_SSL_TRUSTSTORE_TYPE"] == "PEM" && f.environment[0].variables["KAFKA_SSL_TRUSTSTORE_CERTIFICATES"] == "-----BEGIN CERTIFICATE----- MIIB -----END CERTIFICATE-----"])
    error_message = "a private CA reaches every function's Kafka clients as an inline PEM trust store"
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.this : f.environment[0].variables["QUARKUS_PROFILE"] == "msk"])
    error_message = "every function speaks SASL/IAM over TLS to MSK"
  }

  assert {
    condition     = aws_lambda_function.this["ingest"].environment[0].variables["FUNCTIONS_AUTH_API_KEYS_SECRET"] == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf"
    error_message = "the functions read their API keys from the secret"
  }
}
