# MSK Serverless (IAM authentication, TLS) unless an existing cluster's bootstrap servers are given.
# Clients reach it from the security groups passed in; nothing else can.

variable "name" {
  type = string
}

variable "create" {
  type = bool
}

variable "existing_bootstrap_servers" {
  type = string
}

variable "existing_cluster_arn" {
  description = "An existing MSK cluster's ARN (IAM auth); empty otherwise."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_security_group" "msk" {
  count       = var.create ? 1 : 0
  name_prefix = "${var.name}-msk-"
  description = "MSK Serverless: Kafka over TLS with IAM auth from the functions and the worker only"
  vpc_id      = var.vpc_id
}

resource "aws_msk_serverless_cluster" "this" {
  count        = var.create ? 1 : 0
  cluster_name = "${var.name}-kafka"

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.msk[0].id]
  }

  client_authentication {
    sasl {
      iam {
        enabled = true
      }
    }
  }
}

output "bootstrap_servers" {
  value = var.create ? aws_msk_serverless_cluster.this[0].bootstrap_brokers_sasl_iam : var.existing_bootstrap_servers
}

output "cluster_arn" {
  # For IAM: the created cluster, or any cluster of the account when it is an existing one outside Terraform.
  value = var.create ? aws_msk_serverless_cluster.this[0].arn : var.existing_cluster_arn
}

output "security_group_id" {
  value = var.create ? aws_security_group.msk[0].id : ""
}
