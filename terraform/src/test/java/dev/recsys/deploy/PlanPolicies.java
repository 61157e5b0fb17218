package dev.recsys.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The infrastructure's policies as checks over {@code terraform show -json} of a plan (no IaC scanner is
 * served to our machines). Each names the CIS AWS Foundations or AWS Foundational Security Best Practices
 * control it stands for, and carries a way to break it, so that a test can show it fails on a plan that
 * breaks its rule.
 */
final class PlanPolicies {

    private PlanPolicies() {
    }

    /**
     * @param control  the control it stands for
     * @param check    the violations in a plan (resource addresses and why), none when it holds
     * @param breaking turns a good plan into one that breaks this rule, for the negative test
     */
    record Policy(String control, String rule, Function<JsonNode, List<String>> check, Consumer<ObjectNode> breaking) {

        @Override
        public String toString() {
            return control + ": " + rule;
        }
    }

    static final List<Policy> ALL = List.of(
            new Policy("AWS FSBP S3.8, CIS AWS 2.1.4", "every bucket blocks public access, and no bucket has an ACL",
                    PlanPolicies::publicBuckets,
                    plan -> first(plan, "aws_s3_bucket_public_access_block").put("block_public_acls", false)),
            new Policy("AWS FSBP S3.4, CIS AWS 2.1.1", "every bucket is encrypted at rest",
                    PlanPolicies::unencryptedBuckets,
                    plan -> remove(plan, "aws_s3_bucket_server_side_encryption_configuration")),
            new Policy("AWS FSBP EC2.7, CIS AWS 2.2.1", "every EBS volume of a launch template is encrypted",
                    PlanPolicies::unencryptedVolumes,
                    plan -> ((ObjectNode) first(plan, "aws_launch_template").path("block_device_mappings").get(0)
                            .path("ebs").get(0)).put("encrypted", "false")),
            new Policy("AWS FSBP EC2.8", "instances answer IMDSv2 only",
                    PlanPolicies::imdsV1,
                    plan -> ((ObjectNode) first(plan, "aws_launch_template").path("metadata_options").get(0))
                            .put("http_tokens", "optional")),
            new Policy("AWS FSBP EC2.25", "launch templates give no public address",
                    PlanPolicies::publicAddresses,
                    plan -> first(plan, "aws_launch_template").putArray("network_interfaces").addObject()
                            .put("associate_public_ip_address", "true")),
            new Policy("AWS FSBP EC2.18/EC2.19, CIS AWS 5.2/5.3", "no inbound rule from the internet, none at "
                    + "all on the worker",
                    PlanPolicies::openIngress,
                    plan -> addResource(plan, "aws_vpc_security_group_ingress_rule", "module.kafka.open")
                            .put("cidr_ipv4", "0.0.0.0/0")),
            new Policy("AWS Well-Architected SEC05-BP02 (no FSBP control covers egress)", "no outbound rule to "
                    + "the internet: AWS APIs through VPC endpoints, Kafka at its security group or CIDRs",
                    PlanPolicies::openEgress,
                    plan -> addResource(plan, "aws_vpc_security_group_egress_rule", "module.worker.open")
                            .put("cidr_ipv4", "0.0.0.0/0")),
            new Policy("AWS FSBP IAM.1, CIS AWS 1.16", "no action * and no wildcard action on resource * in any "
                    + "policy document", PlanPolicies::wildcardIam,
                    plan -> {
                        ObjectNode statement = ((ObjectNode) firstDocument(plan).path("expressions"))
                                .withArray("statement").addObject();
                        statement.putObject("actions").putArray("constant_value").add("s3:*");
                        statement.putObject("resources").putArray("constant_value").add("*");
                    }),
            new Policy("AWS FSBP CloudWatch.16", "every log group keeps its logs a set number of days",
                    PlanPolicies::unboundedLogs,
                    plan -> first(plan, "aws_cloudwatch_log_group").remove("retention_in_days")),
            new Policy("AWS FSBP Lambda.3", "every Lambda function runs in the VPC", PlanPolicies::lambdasOutsideVpc,
                    plan -> first(plan, "aws_lambda_function").putArray("vpc_config")));

    private static List<String> publicBuckets(JsonNode plan) {
        List<String> out = new ArrayList<>();
        List<JsonNode> buckets = resources(plan, "aws_s3_bucket");
        List<JsonNode> blocks = resources(plan, "aws_s3_bucket_public_access_block");
        if (blocks.size() < buckets.size()) {
            out.add(buckets.size() + " buckets, " + blocks.size() + " public access blocks");
        }
        for (JsonNode b : blocks) {
            for (String flag : List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
                    "restrict_public_buckets")) {
                if (!b.path("values").path(flag).asBoolean()) {
                    out.add(b.path("address").asText() + ": " + flag + " off");
                }
            }
        }
        resources(plan, "aws_s3_bucket_acl").forEach(a -> out.add(a.path("address").asText() + ": a bucket ACL"));
        return out;
    }

    private static List<String> unencryptedBuckets(JsonNode plan) {
        List<String> out = new ArrayList<>();
        List<JsonNode> buckets = resources(plan, "aws_s3_bucket");
        List<JsonNode> encryption = resources(plan, "aws_s3_bucket_server_side_encryption_configuration");
        if (encryption.size() < buckets.size()) {
            out.add(buckets.size() + " buckets, " + encryption.size() + " encryption configurations");
        }
        for (JsonNode e : encryption) {
            String algorithm = e.path("values").path("rule").path(0).path("apply_server_side_encryption_by_default")
                    .path(0).path("sse_algorithm").asText("");
            if (algorithm.isEmpty()) {
                out.add(e.path("address").asText() + ": no algorithm");
            }
        }
        return out;
    }

    private static List<String> unencryptedVolumes(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : resources(plan, "aws_launch_template")) {
            for (JsonNode device : t.path("values").path("block_device_mappings")) {
                for (JsonNode ebs : device.path("ebs")) {
                    if (!"true".equals(ebs.path("encrypted").asText())) {
                        out.add(t.path("address").asText() + ": " + device.path("device_name").asText() + " not encrypted");
                    }
                }
            }
        }
        return out;
    }

    private static List<String> imdsV1(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : resources(plan, "aws_launch_template")) {
            if (!"required".equals(t.path("values").path("metadata_options").path(0).path("http_tokens").asText())) {
                out.add(t.path("address").asText() + ": IMDSv2 not required");
            }
        }
        return out;
    }

    private static List<String> publicAddresses(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : resources(plan, "aws_launch_template")) {
            for (JsonNode nic : t.path("values").path("network_interfaces")) {
                if ("true".equals(nic.path("associate_public_ip_address").asText())) {
                    out.add(t.path("address").asText() + ": a public address");
                }
            }
        }
        return out;
    }

    private static List<String> openIngress(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : planned(plan)) {
            String type = r.path("type").asText();
            String address = r.path("address").asText();
            if (type.equals("aws_vpc_security_group_ingress_rule") || type.equals("aws_security_group_rule")
                    && "ingress".equals(r.path("values").path("type").asText())) {
                if (toInternet(r.path("values"))) {
                    out.add(address + ": open to the internet");
                }
                if (address.startsWith("module.worker.") || address.startsWith("module.shards[")) {
                    out.add(address + ": an inbound rule on a worker");
                }
            }
            if (type.equals("aws_security_group") && r.path("values").path("ingress").size() > 0) {
                out.add(address + ": inline ingress");
            }
        }
        return out;
    }

    private static List<String> openEgress(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : planned(plan)) {
            String type = r.path("type").asText();
            JsonNode v = r.path("values");
            boolean egressRule = type.equals("aws_vpc_security_group_egress_rule")
                    || type.equals("aws_security_group_rule") && "egress".equals(v.path("type").asText());
            if (egressRule && toInternet(v)) {
                out.add(r.path("address").asText() + ": open to the internet");
            }
            if (type.equals("aws_security_group") && v.path("egress").toString().contains("0.0.0.0/0")) {
                out.add(r.path("address").asText() + ": inline egress to the internet");
            }
        }
        return out;
    }

    /** Whether a security group rule's values name the whole internet (IPv4 or IPv6). */
    private static boolean toInternet(JsonNode v) {
        return "0.0.0.0/0".equals(v.path("cidr_ipv4").asText()) || "::/0".equals(v.path("cidr_ipv6").asText())
                || v.path("cidr_blocks").toString().contains("0.0.0.0/0");
    }

    private static List<String> wildcardIam(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode doc : documents(plan)) {
            for (JsonNode statement : statements(doc)) {
                List<String> actions = constants(statement.path("actions"));
                List<String> resources = constants(statement.path("resources"));
                if (actions.contains("*")) {
                    out.add(doc.path("address").asText() + ": action *");
                } else if (resources.contains("*") && actions.stream().anyMatch(a -> a.contains("*"))) {
                    out.add(doc.path("address").asText() + ": wildcard action on *");
                }
            }
        }
        return out;
    }

    private static List<String> unboundedLogs(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode g : resources(plan, "aws_cloudwatch_log_group")) {
            if (g.path("values").path("retention_in_days").asInt(0) <= 0) {
                out.add(g.path("address").asText() + ": kept forever");
            }
        }
        return out;
    }

    private static List<String> lambdasOutsideVpc(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : resources(plan, "aws_lambda_function")) {
            if (f.path("values").path("vpc_config").size() == 0) {
                out.add(f.path("address").asText() + ": outside the VPC");
            }
        }
        return out;
    }

    /** Every resource the plan creates, child modules included. */
    static List<JsonNode> planned(JsonNode plan) {
        List<JsonNode> out = new ArrayList<>();
        collect(plan.path("planned_values").path("root_module"), out);
        return out;
    }

    private static List<JsonNode> resources(JsonNode plan, String type) {
        return planned(plan).stream().filter(r -> type.equals(r.path("type").asText())).toList();
    }

    private static void collect(JsonNode module, List<JsonNode> out) {
        module.path("resources").forEach(out::add);
        module.path("child_modules").forEach(c -> collect(c, out));
    }

    /** The IAM policy documents of the configuration (their statements as written, dynamic blocks included). */
    static List<JsonNode> documents(JsonNode plan) {
        List<JsonNode> out = new ArrayList<>();
        collectDocuments(plan.path("configuration").path("root_module"), out);
        return out;
    }

    private static void collectDocuments(JsonNode module, List<JsonNode> out) {
        for (JsonNode r : module.path("resources")) {
            if (r.path("mode").asText().equals("data") && r.path("type").asText().equals("aws_iam_policy_document")) {
                out.add(r);
            }
        }
        module.path("module_calls").forEach(call -> collectDocuments(call.path("module"), out));
    }

    private static List<JsonNode> statements(JsonNode document) {
        List<JsonNode> out = new ArrayList<>();
        document.path("expressions").path("statement").forEach(out::add);
        // Dynamic statement blocks keep their content under dynamic blocks in the configuration JSON.
        document.path("expressions").path("dynamic").forEach(d -> d.path("content").forEach(out::add));
        return out;
    }

    private static List<String> constants(JsonNode expression) {
        List<String> out = new ArrayList<>();
        expression.path("constant_value").forEach(v -> out.add(v.asText()));
        return out;
    }

    // Ways to break a plan, for the negative tests.

    private static ObjectNode first(ObjectNode plan, String type) {
        return (ObjectNode) resources(plan, type).get(0).path("values");
    }

    private static void remove(ObjectNode plan, String type) {
        removeFrom(plan.path("planned_values").path("root_module"), type);
    }

    private static void removeFrom(JsonNode module, String type) {
        JsonNode resources = module.path("resources");
        if (resources instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (type.equals(array.get(i).path("type").asText())) {
                    array.remove(i);
                }
            }
        }
        module.path("child_modules").forEach(c -> removeFrom(c, type));
    }

    private static ObjectNode addResource(ObjectNode plan, String type, String address) {
        ObjectNode root = (ObjectNode) plan.path("planned_values").path("root_module");
        ObjectNode resource = root.withArray("resources").addObject();
        resource.put("address", address).put("type", type);
        return resource.putObject("values");
    }

    private static ObjectNode firstDocument(ObjectNode plan) {
        return (ObjectNode) documents(plan).get(0);
    }
}
