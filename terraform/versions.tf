terraform {
  required_version = ">= 1.9.0" # validations that read another variable

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.100.0 is what CI mirrors offline (/opt/tf-plugins); any 5.x from 5.40 has every resource used here.
      version = ">= 5.40.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  # Only for offline checks (CI plans with fake credentials); false for a real deployment.
  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan
  skip_region_validation      = var.offline_plan

  default_tags {
    tags = merge(var.tags, {
      Project     = var.name
      Environment = var.environment
      ManagedBy   = "terraform"
    })
  }
}
