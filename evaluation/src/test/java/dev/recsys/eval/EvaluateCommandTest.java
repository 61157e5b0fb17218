package dev.recsys.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The whole command with its default training (co-occurrence start, weight average) on generated data. */
class EvaluateCommandTest {

    @TempDir
    Path dir;

    @Test
    void defaultTrainingLearnsAFollowTheChainRuleAndReportsEveryFigure() throws Exception {
        // 60 items in 3 chains of 20; each user walks one chain from a random start, so the next item is
        // predictable from the last one, and popularity is flat.
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 120; u++) {
            int chain = u % 3;
            int at = random.nextInt(20);
            for (int t = 0; t < 12; t++) {
                csv.append(u).append(',').append(chain * 20 + (at + t) % 20).append(",4.0,").append(t).append('\n');
            }
        }
        Path data = dir.resolve("ratings.csv");
        Files.writeString(data, csv);
        Path json = dir.resolve("results.json");
        EvaluateCommand.main(new String[] { "--data", data.toString(), "--seeds", "1", "--max-epochs", "15",
                "--patience", "15", "--max-length", "12", "--dim", "16", "--blend-shares", "0,1", "--json",
                json.toString() });

        JsonNode r = new ObjectMapper().readTree(json.toFile());
        // The blend's ends are its two sides: share 0 ranks as the model alone, share 1 as the table alone.
        assertEquals(r.at("/sasrec/runs/0/test/ndcg10").asDouble(), r.at("/sasrec/runs/0/blendedTestNdcg10/0.0")
                .asDouble(), 1e-9);
        assertEquals(r.at("/baselines/co-occurrence (window 5)/ndcg10").asDouble(),
                r.at("/sasrec/runs/0/blendedTestNdcg10/1.0").asDouble(), 1e-9);
        assertEquals("cooccurrence", r.at("/sasrec/training/itemInit").asText());
        assertEquals(0.8, r.at("/sasrec/training/averageDecay").asDouble(), 1e-9);
        double sasrec = r.at("/sasrec/mean/hr10").asDouble();
        double popularity = r.at("/baselines/popularity/hr10").asDouble();
        assertTrue(sasrec >= 0.9, "SASRec HR@10 " + sasrec);
        assertTrue(sasrec > popularity + 0.3, "SASRec " + sasrec + " against popularity " + popularity);
        assertTrue(r.at("/sasrec/runs/0/sequencesPerSecond").asDouble() > 0);
        // The ratio over test users is the printed ratio, and its interval holds it.
        JsonNode overUsers = r.at("/ndcg10OverBestBaselineOverUsers");
        double ratio = r.at("/ndcg10OverBestBaseline").asDouble();
        assertEquals(ratio, overUsers.at("/estimate").asDouble(), 1e-9);
        assertTrue(overUsers.at("/low").asDouble() <= ratio && ratio <= overUsers.at("/high").asDouble(),
                overUsers.toString());
        assertEquals(0.95, overUsers.at("/level").asDouble(), 1e-12);
    }

    @Test
    void refitTrainsEveryModelOnTheValidationItemsBeforeTheTest() throws Exception {
        // Group A ends o, p, q (validation p, test q); group B ends p, q, z (validation q, test z). Only B's
        // validation step holds the transition p -> q that A's test needs, so a Markov chain fit on the
        // training items alone cannot know it and one refit with the validation items can.
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 40; u++) {
            int t = 0;
            for (int f = 0; f < 5; f++) {
                csv.append(u).append(',').append(random.nextInt(100)).append(",4.0,").append(t++).append('\n');
            }
            String[] tail = u % 2 == 0 ? new String[] { "o", "p", "q" } : new String[] { "p", "q", "z" + u };
            for (String item : tail) {
                csv.append(u).append(',').append(item).append(",4.0,").append(t++).append('\n');
            }
        }
        Path data = dir.resolve("ratings.csv");
        Files.writeString(data, csv);
        JsonNode plain = run(data, "false");
        JsonNode refit = run(data, "true");

        assertTrue(refit.at("/sasrec/training/refit").asBoolean());
        double before = plain.at("/baselines/Markov chain/hr10").asDouble();
        double after = refit.at("/baselines/Markov chain/hr10").asDouble();
        assertTrue(before < 0.2, "Markov chain without the refit " + before);
        assertEquals(0.5, after, 1e-9, "half the users (group A) get q first once p -> q is training data");
        JsonNode run = refit.at("/sasrec/runs/0");
        assertTrue(run.at("/refitSeconds").asDouble() > 0);
        assertTrue(run.at("/selectedTest/hr10").isNumber() && run.at("/test/hr10").isNumber());
        assertEquals(plain.at("/sasrec/runs/0/test/hr10").asDouble(), run.at("/selectedTest/hr10").asDouble(), 1e-9,
                "the selected model, before its refit, is the plain run's model");
    }

    private JsonNode run(Path data, String refit) throws Exception {
        Path json = dir.resolve("refit-" + refit + ".json");
        EvaluateCommand.main(new String[] { "--data", data.toString(), "--seeds", "1", "--max-epochs", "3",
                "--patience", "3", "--max-length", "8", "--dim", "8", "--refit", refit, "--json", json.toString() });
        return new ObjectMapper().readTree(json.toFile());
    }
}
