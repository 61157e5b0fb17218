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
 * held to the policies of {@link PlanPolicies} (each naming its CIS / AWS control), with one negative case per
 * policy. Skipped, saying so, where terraform is not installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerraformChecksTest {

    static final Path DIR = Path.of(System.getProperty("terraform.dir", ".")).toAbsolutePath().normalize();
    static final Path MIRROR = Path.of("/opt/tf-plugins");
    static Path cliConfig;
    /** The offline plan as {@code terraform show -json} printed it, once the plan test made it. */
    static com.fasterxml.jackson.databind.node.ObjectNode planJson;

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
                private_route_table_ids = ["rtb-0123456789abcdef0"]
                worker_ami_id      = "ami-0123456789abcdef0"
                offline_plan       = true
                serving_shards     = 2
                """);
        Path plan = Files.createTempFile("plan-", ".bin");
        ok("plan", "-input=false", "-lock=false", "-refresh=false", "-var-file=" + vars, "-out=" + plan);
        JsonNode json = new ObjectMapper().readTree(ok("show", "-json", plan.toString()));
        assertFalse(PlanPolicies.planned(json).isEmpty(), "the plan creates resources");
        assertFalse(PlanPolicies.documents(json).isEmpty(), "policy documents found in the configuration");
        List<String> broken = new ArrayList<>();
        for (PlanPolicies.Policy policy : PlanPolicies.ALL) {
            policy.check().apply(json).forEach(v -> broken.add(policy + " -- " + v));
        }
        assertEquals(List.of(), broken, "policies the plan breaks");
        planJson = (com.fasterxml.jackson.databind.node.ObjectNode) json;
    }

    /** Each policy fails on the plan changed to break its rule: it can catch what it stands for. */
    @Test
    @Order(5)
    void everyPolicyCatchesAPlanThatBreaksIt() throws Exception {
        assumeTrue(planJson != null, "the plan was not made (see planWithFakeCredentialsIsSafe)");
        for (PlanPolicies.Policy policy : PlanPolicies.ALL) {
            com.fasterxml.jackson.databind.node.ObjectNode broken = planJson.deepCopy();
            policy.breaking().accept(broken);
            assertFalse(policy.check().apply(broken).isEmpty(), "not caught by " + policy);
            assertEquals(List.of(), policy.check().apply(planJson), "the good plan still passes " + policy);
        }
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
