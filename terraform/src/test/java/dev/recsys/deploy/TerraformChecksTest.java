package dev.recsys.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Terraform configuration checked offline: formatting, init from the provider mirror on this machine
 * (/opt/tf-plugins, else the registry), validate, {@code terraform test} (mocked provider: variable
 * validation, the resources each configuration creates), and a plan with fake credentials whose JSON is
 * inspected: no public bucket, no wildcard IAM action on a wildcard resource, no inbound rule open to the
 * internet, the worker without any inbound rule or public address. Skipped, saying so, where terraform is
 * not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerraformChecksTest {

    static final Path DIR = Path.of(System.getProperty("terraform.dir", ".")).toAbsolutePath().normalize();
    static final Path MIRROR = Path.of("/opt/tf-plugins");
    static Path cliConfig;

    @BeforeAll
    static void init() throws Exception {
        assumeTrue(installed(), "terraform is not installed here: the Terraform checks are skipped");
        cliConfig = Files.createTempFile("terraformrc-", ".tfrc");
        Files.writeString(cliConfig, Files.isDirectory(MIRROR) ? """
                provider_installation {
                  filesystem_mirror {
                    path    = "%s"
                    include = ["registry.terraform.io/hashicorp/aws"]
                  }
                  direct {
                    exclude = ["registry.terraform.io/hashicorp/aws"]
                  }
                }
                """.formatted(MIRROR) : "");
        ok("init", "-backend=false", "-input=false");
    }

    @Test
    @Order(1)
    void formatted() throws Exception {
        ok("fmt", "-check", "-recursive", "-diff");
    }

    @Test
    @Order(2)
    void valid() throws Exception {
        ok("validate");
    }

    @Test
    @Order(3)
    void terraformTestsPass() throws Exception {
        String out = ok("test");
        assertTrue(out.contains("0 failed"), out);
    }

    @Test
    @Order(4)
    void planWithFakeCredentialsIsSafe() throws Exception {
        Path vars = Files.createTempFile("ci-", ".tfvars");
        Files.writeString(vars, """
                vpc_id             = "vpc-0123456789abcdef0"
                private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
                worker_ami_id      = "ami-0123456789abcdef0"
                offline_plan       = true
                """);
        Path plan = Files.createTempFile("plan-", ".bin");
        ok("plan", "-input=false", "-lock=false", "-refresh=false", "-var-file=" + vars, "-out=" + plan);
        JsonNode json = new ObjectMapper().readTree(ok("show", "-json", plan.toString()));

        List<JsonNode> planned = new ArrayList<>();
        collect(json.path("planned_values").path("root_module"), planned);
        assertFalse(planned.isEmpty(), "the plan creates resources");

        // No public bucket: every bucket has every public-access block on, and no ACL resource exists.
        long buckets = planned.stream().filter(r -> type(r).equals("aws_s3_bucket")).count();
        List<JsonNode> blocks = planned.stream().filter(r -> type(r).equals("aws_s3_bucket_public_access_block")).toList();
        assertEquals(buckets, blocks.size(), "a public access block for each bucket");
        for (JsonNode b : blocks) {
            for (String flag : List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
                    "restrict_public_buckets")) {
                assertTrue(b.path("values").path(flag).asBoolean(), b.path("address") + " " + flag);
            }
        }
        assertTrue(planned.stream().noneMatch(r -> type(r).equals("aws_s3_bucket_acl")), "no bucket ACLs");

        // No inbound rule from the internet; the worker's security group has none at all.
        for (JsonNode r : planned) {
            if (type(r).equals("aws_vpc_security_group_ingress_rule") || type(r).equals("aws_security_group_rule")) {
                String cidr = r.path("values").path("cidr_ipv4").asText("") + r.path("values").path("cidr_blocks");
                assertFalse(cidr.contains("0.0.0.0/0") || r.path("values").path("cidr_ipv6").asText("").equals("::/0"),
                        "open to the internet: " + r.path("address"));
                assertFalse(r.path("address").asText().startsWith("module.worker."), "inbound rule on the worker: "
                        + r.path("address"));
            }
            if (type(r).equals("aws_security_group")) {
                assertTrue(r.path("values").path("ingress").isEmpty() || r.path("values").path("ingress").isMissingNode(),
                        "inline ingress on " + r.path("address"));
            }
            if (type(r).equals("aws_launch_template")) {
                for (JsonNode nic : r.path("values").path("network_interfaces")) {
                    assertFalse("true".equals(nic.path("associate_public_ip_address").asText()),
                            "the worker gets no public address");
                }
            }
        }

        // No wildcard action on a wildcard resource in any policy document of the configuration.
        List<JsonNode> documents = new ArrayList<>();
        collectConfig(json.path("configuration").path("root_module"), documents);
        assertFalse(documents.isEmpty(), "policy documents found in the configuration");
        for (JsonNode doc : documents) {
            for (JsonNode statement : statements(doc)) {
                List<String> actions = constants(statement.path("actions"));
                List<String> resources = constants(statement.path("resources"));
                boolean wildcardAction = actions.stream().anyMatch(a -> a.contains("*"));
                boolean wildcardResource = resources.contains("*");
                assertFalse(wildcardAction && wildcardResource, "wildcard action on * in " + doc.path("address"));
                assertFalse(actions.contains("*"), "action * in " + doc.path("address"));
            }
        }
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

    private static void collect(JsonNode module, List<JsonNode> out) {
        module.path("resources").forEach(out::add);
        module.path("child_modules").forEach(c -> collect(c, out));
    }

    private static void collectConfig(JsonNode module, List<JsonNode> out) {
        for (JsonNode r : module.path("resources")) {
            if (r.path("mode").asText().equals("data") && type(r).equals("aws_iam_policy_document")) {
                out.add(r);
            }
        }
        module.path("module_calls").forEach(call -> collectConfig(call.path("module"), out));
    }

    private static String type(JsonNode resource) {
        return resource.path("type").asText();
    }

    private static boolean installed() {
        try {
            Process p = new ProcessBuilder("terraform", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs terraform in the configuration's folder; fails the test with its output unless it exits 0. */
    private static String ok(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("terraform"));
        cmd.add(args[0]);
        cmd.add("-no-color");
        cmd.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(DIR.toFile());
        Map<String, String> env = pb.environment();
        env.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        env.put("TF_IN_AUTOMATION", "1");
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKEFAKE");
        env.put("AWS_SECRET_ACCESS_KEY", "fake-secret-for-an-offline-plan");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path log = Files.createTempFile("terraform-", ".log");
        pb.redirectErrorStream(false).redirectError(log.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("terraform " + String.join(" ", args) + " did not finish in 600 s");
        }
        String err = Files.readString(log);
        assertEquals(0, p.exitValue(), "terraform " + String.join(" ", args) + " failed:\n" + out + err);
        return out;
    }
}
