# Bad input is refused with the variable's own message, before anything is planned.

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

run "worker_must_be_a_gpu_instance" {
  command = plan
  variables {
    worker_instance_type = "m5.xlarge"
  }
  expect_failures = [var.worker_instance_type]
}

run "two_subnets_at_least" {
  command = plan
  variables {
    private_subnet_ids = ["subnet-0123456789abcdef0"]
  }
  expect_failures = [var.private_subnet_ids]
}

run "known_environment" {
  command = plan
  variables {
    environment = "qa"
  }
  expect_failures = [var.environment]
}

run "runtime_native_or_java" {
  command = plan
  variables {
    functions_runtime = "python3.12"
  }
  expect_failures = [var.functions_runtime]
}

run "bootstrap_servers_are_host_port" {
  command = plan
  variables {
    kafka_bootstrap_servers = "not a server list"
  }
  expect_failures = [var.kafka_bootstrap_servers]
}

run "throttling_positive" {
  command = plan
  variables {
    api_throttle_rate = 0
  }
  expect_failures = [var.api_throttle_rate]
}

run "api_keys_secret_is_an_arn" {
  command = plan
  variables {
    api_keys_secret_arn = "my-secret"
  }
  expect_failures = [var.api_keys_secret_arn]
}

run "an_existing_cluster_needs_its_cidrs" {
  command = plan
  variables {
    kafka_bootstrap_servers = "b-1.example.com:9092"
    kafka_auth              = "tls"
  }
  expect_failures = [var.kafka_cidrs]
}

run "an_existing_cluster_with_iam_needs_its_arn" {
  command = plan
  variables {
    kafka_bootstrap_servers = "b-1.example.com:9098"
    kafka_cidrs             = ["10.0.8.0/24"]
  }
  expect_failures = [var.kafka_cluster_arn]
}

run "msk_serverless_takes_iam_only" {
  command = plan
  variables {
    kafka_auth = "tls"
  }
  expect_failures = [var.kafka_auth]
}

run "kafka_auth_is_known" {
  command = plan
  variables {
    kafka_bootstrap_servers = "b-1.example.com:9092"
    kafka_cidrs             = ["10.0.8.0/24"]
    kafka_auth              = "sasl"
  }
  expect_failures = [var.kafka_auth]
}

run "a_private_ca_is_pem_for_the_tls_path" {
  command = plan
  variables {
    kafka_bootstrap_servers = "b-1.example.com:9093"
    kafka_cidrs             = ["10.0.8.0/24"]
    kafka_auth              = "tls"
    kafka_ca_pem            = "not a certificate"
  }
  expect_failures = [var.kafka_ca_pem]
}

run "a_private_ca_only_with_tls" {
  command = plan
  variables {
    kafka_ca_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
  }
  expect_failures = [var.kafka_ca_pem]
}
