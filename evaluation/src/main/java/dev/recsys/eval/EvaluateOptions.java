package dev.recsys.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.recsys.core.sasrec.SasRecConfig;

/** bin/evaluate's command line: the dataset, the protocol's knobs, the model and how it is trained. */
final class EvaluateOptions {
    Path data;
    int minInteractions = 5;
    double minRating = Double.NaN;
    Path categories;
    int seeds = 3;
    int maxEpochs = 200;
    int patience = 10;
    Path json;
    Path saveModel;
    SasRecConfig config = SasRecConfig.defaults();
    /** Decoupled weight decay while training offline (AdamW); not part of the model's config. */
    float weightDecay;
    /** Items after each position the training loss predicts (1: the next item only). */
    int futureTargets = 1;
    /** A training sequence with n targets weighs n^(1 - this) in the loss: 0 weighs every target alike. */
    float sequenceWeightPower;
    LearningRateSchedule schedule = LearningRateSchedule.constant();
    /** Item table started from co-occurrence vectors instead of random ones. */
    boolean cooccurrenceInit = true;
    /** Items either side of an item that count as co-occurring with it. */
    int cooccurrenceWindow = 5;
    /** Per-epoch exponential average of the weights that validation and test see; 0 for none. */
    double averageDecay = 0.8;
    /**
     * Once validation has chosen the epoch count, refit every model on each user's items but the test one
     * (a fresh SASRec for that many epochs, the baselines on the same data) before the test.
     */
    boolean refit;
    /** Co-occurrence shares at which the trained model is also tested mixed with the table (the worker's blend). */
    double[] blendShares = new double[0];
    /**
     * Each user's newest maxLength + 1 items only (SASRec's original sampling), not all of a long history:
     * every user weighs the same, as in the test, and heavy users' older ratings do not dominate.
     */
    boolean newestWindowOnly = true;

    /** How SASRec is trained beyond its config, by option name as the JSON reports it. */
    Map<String, Object> training() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("weightDecay", weightDecay);
        t.put("futureTargets", futureTargets);
        t.put("sequenceWeightPower", sequenceWeightPower);
        t.put("averageDecay", averageDecay);
        t.put("lrSchedule", schedule.toString());
        t.put("itemInit", cooccurrenceInit ? "cooccurrence" : "random");
        t.put("cooccurrenceWindow", cooccurrenceWindow);
        t.put("refit", refit);
        t.put("trainingWindows", newestWindowOnly ? "newest" : "all");
        return t;
    }

    static EvaluateOptions parse(String[] args) {
        EvaluateOptions o = new EvaluateOptions();
        SasRecConfig c = SasRecConfig.defaults();
        int maxLength = c.maxLength();
        int dim = c.dim();
        int heads = c.heads();
        int blocks = c.blocks();
        float dropout = c.dropout();
        float lr = c.learningRate();
        int batch = c.batchSize();
        int negatives = c.negatives();
        long seed = c.seed();
        String schedule = "constant";
        int warmup = 0;
        try {
            for (int i = 0; i < args.length; i += 2) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                if (v == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--data" -> o.data = Path.of(v);
                    case "--min-interactions" -> o.minInteractions = Integer.parseInt(v);
                    case "--min-rating" -> o.minRating = Double.parseDouble(v);
                    case "--categories" -> o.categories = Path.of(v);
                    case "--seeds" -> o.seeds = Integer.parseInt(v);
                    case "--max-epochs" -> o.maxEpochs = Integer.parseInt(v);
                    case "--patience" -> o.patience = Integer.parseInt(v);
                    case "--json" -> o.json = Path.of(v);
                    case "--save-model" -> o.saveModel = Path.of(v);
                    case "--max-length" -> maxLength = Integer.parseInt(v);
                    case "--dim" -> dim = Integer.parseInt(v);
                    case "--heads" -> heads = Integer.parseInt(v);
                    case "--blocks" -> blocks = Integer.parseInt(v);
                    case "--dropout" -> dropout = Float.parseFloat(v);
                    case "--lr" -> lr = Float.parseFloat(v);
                    case "--weight-decay" -> o.weightDecay = Float.parseFloat(v);
                    case "--future-targets" -> o.futureTargets = Integer.parseInt(v);
                    case "--sequence-weight-power" -> o.sequenceWeightPower = Float.parseFloat(v);
                    case "--item-init" -> o.cooccurrenceInit = switch (v) {
                        case "random" -> false;
                        case "cooccurrence" -> true;
                        default -> throw new IllegalArgumentException("--item-init must be random or cooccurrence");
                    };
                    case "--cooccurrence-window" -> o.cooccurrenceWindow = Integer.parseInt(v);
                    case "--lr-schedule" -> schedule = v;
                    case "--warmup-epochs" -> warmup = Integer.parseInt(v);
                    case "--average-decay" -> o.averageDecay = Double.parseDouble(v);
                    case "--training-windows" -> o.newestWindowOnly = switch (v) {
                        case "newest" -> true;
                        case "all" -> false;
                        default -> throw new IllegalArgumentException("--training-windows must be all or newest");
                    };
                    case "--blend-shares" -> o.blendShares = java.util.Arrays.stream(v.split(","))
                            .mapToDouble(Double::parseDouble).toArray();
                    case "--refit" -> o.refit = switch (v) {
                        case "true" -> true;
                        case "false" -> false;
                        default -> throw new IllegalArgumentException("--refit must be true or false");
                    };
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--negatives" -> negatives = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (o.data == null) {
                throw new IllegalArgumentException("--data is required");
            }
            o.schedule = LearningRateSchedule.parse(schedule, warmup);
            o.config = new SasRecConfig(maxLength, dim, heads, blocks, dropout, lr, batch, negatives, seed);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("""
                    usage: bin/evaluate --data ratings.csv|sequences.txt [--min-interactions 5] [--min-rating X]
                           [--categories movies.csv] [--seeds 3] [--max-epochs 200] [--patience 10]
                           [--json results.json] [--save-model DIR]
                           [--max-length 200] [--dim 64] [--heads 1] [--blocks 2] [--dropout 0.3] [--lr 0.002]
                           [--batch 32] [--negatives 0 (full softmax)] [--seed 42] [--weight-decay 0]
                           [--future-targets 1] [--sequence-weight-power 0]
                           [--average-decay 0.8 (per-epoch weight EMA; 0: none)]
                           [--lr-schedule constant|cosine] [--warmup-epochs 0] [--item-init cooccurrence|random]
                           [--cooccurrence-window 5] [--refit false] [--blend-shares 0.35,0.5]
                           [--training-windows newest|all]""");
            System.exit(2);
        }
        return o;
    }
}
