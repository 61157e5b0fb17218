output "api_endpoint" {
  description = "Base URL of the HTTP API: POST /ingest, /items, /forget-user, /recommend, /recommend-session, /rerank, /similar-items."
  value       = module.functions.api_endpoint
}

output "checkpoint_bucket" {
  description = "Bucket of the worker's checkpoints (prefix worker/) and its packaged app (artifacts/)."
  value       = module.checkpoints.bucket
}

output "kafka_bootstrap_servers" {
  description = "Bootstrap servers the functions and the worker use."
  value       = module.kafka.bootstrap_servers
}

output "api_keys_secret_arn" {
  description = "Secret whose value (a JSON array of keys) the functions accept."
  value       = local.api_keys_secret_arn
}

output "shards_autoscaling_group" {
  description = "The serving shards' Auto Scaling group (serving_shards instances), or null without shards."
  value       = var.serving_shards > 0 ? module.shards[0].autoscaling_group : null
}

output "worker_autoscaling_group" {
  description = "The worker's Auto Scaling group (one instance)."
  value       = module.worker.autoscaling_group
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies (worker not ready, feedback lag, checkpoint failures, API 5xx)."
  value       = module.alarms.topic_arn
}
