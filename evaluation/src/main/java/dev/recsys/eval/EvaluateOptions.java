package dev.recsys.eval;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.TrainingWindows;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** bin/evaluate's command line: the dataset, the protocol's knobs, the model and how it is trained. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains SASRec and compares it with popularity, item-kNN, a Markov chain and item "
                + "co-occurrence: leave-one-out, full ranking, the user's history filtered.")
final class EvaluateOptions {

    @Option(names = "--data", required = true, description = "MovieLens ratings.csv or user item [timestamp] lines")
    Path data;

    @Option(names = "--min-interactions", defaultValue = "5", description = "users with fewer are dropped (${DEFAULT-VALUE})")
    int minInteractions;

    @Option(names = "--min-rating", defaultValue = "NaN", description = "ratings below are dropped (default: none)")
    double minRating;

    @Option(names = "--categories", description = "movies.csv, for diversity")
    Path categories;

    @Option(names = "--seeds", defaultValue = "3", description = "training runs (${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--max-epochs", defaultValue = "200", description = "(${DEFAULT-VALUE})")
    int maxEpochs;

    /** Epochs without a better validation score before training stops; the replays' warm start uses it too. */
    static final int DEFAULT_PATIENCE = 10;

    @Option(names = "--patience", defaultValue = "" + DEFAULT_PATIENCE, description = "epochs without a better validation score (${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--json", description = "every figure, written here")
    Path json;

    @Option(names = "--save-model", description = "the best run's model folder, for WORKER_MODEL_PATH")
    Path saveModel;

    // The model's shape and training; absent ones come from SasRecConfig.defaults().
    @Option(names = "--max-length", description = "sequence positions")
    Integer maxLength;

    @Option(names = "--dim") Integer dim;

    @Option(names = "--heads") Integer heads;

    @Option(names = "--blocks") Integer blocks;

    @Option(names = "--dropout") Float dropout;

    @Option(names = "--lr", description = "Adam's learning rate") Float lr;

    @Option(names = "--batch") Integer batch;

    @Option(names = "--negatives", description = "sampled negatives per position; 0: full softmax") Integer negatives;

    @Option(names = "--seed") Long seed;

    /** Decoupled weight decay while training offline (AdamW); not part of the model's config. */
    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW's decoupled weight decay (${DEFAULT-VALUE})")
    float weightDecay;

    /** Items after each position the training loss predicts (1: the next item only). */
    @Option(names = "--future-targets", defaultValue = "1", description = "(${DEFAULT-VALUE})")
    int futureTargets;

    /** A training sequence with n targets weighs n^(1 - this) in the loss: 0 weighs every target alike. */
    @Option(names = "--sequence-weight-power", defaultValue = "0", description = "(${DEFAULT-VALUE})")
    float sequenceWeightPower;

    @Option(names = "--lr-schedule", defaultValue = "constant", description = "constant or cosine (${DEFAULT-VALUE})")
    String scheduleName;

    @Option(names = "--warmup-epochs", defaultValue = "0", description = "(${DEFAULT-VALUE})")
    int warmupEpochs;

    @Option(names = "--item-init", defaultValue = "cooccurrence", description = "cooccurrence or random (${DEFAULT-VALUE})")
    String itemInit;

    /** Items either side of an item that count as co-occurring with it. */
    @Option(names = "--cooccurrence-window", defaultValue = "5", description = "(${DEFAULT-VALUE})")
    int cooccurrenceWindow;

    /** Per-epoch exponential average of the weights that validation and test see; 0 for none. */
    @Option(names = "--average-decay", defaultValue = "0.8", description = "per-epoch weight EMA, 0: none (${DEFAULT-VALUE})")
    double averageDecay;

    /**
     * Once validation has chosen the epoch count, refit every model on each user's items but the test one
     * (a fresh SASRec for that many epochs, the baselines on the same data) before the test.
     */
    @Option(names = "--refit", arity = "1", defaultValue = "false", description = "true or false (${DEFAULT-VALUE})")
    boolean refit;

    /** Co-occurrence shares at which the trained model is also tested mixed with the table (the worker's blend). */
    @Option(names = "--blend-shares", split = ",", description = "e.g. 0.35,0.5")
    double[] blendShares = new double[0];

    /**
     * Every transition once (all), or each user's newest maxLength + 1 items only (newest, SASRec's original
     * sampling, where every user weighs the same as in the test).
     */
    @Option(names = "--training-windows", defaultValue = "all", description = "all or newest (${DEFAULT-VALUE})")
    String trainingWindowsName;

    SasRecConfig config;
    LearningRateSchedule schedule;
    boolean cooccurrenceInit;
    TrainingWindows trainingWindows;

    /**
     * Parses {@code args}; prints usage and exits 2 on a bad line, prints help and returns null on --help.
     * Does not exit on success, so tests can run the command in-process.
     */
    static EvaluateOptions parse(String[] args) {
        EvaluateOptions o = new EvaluateOptions();
        CommandLine line = new CommandLine(o);
        line.getCommandSpec().usageMessage().footer("%nModel options not given take SasRecConfig.defaults(): "
                + SasRecConfig.defaults());
        try {
            line.parseArgs(args);
            if (line.isUsageHelpRequested() || line.isVersionHelpRequested()) {
                line.usage(System.out);
                return null;
            }
            o.resolve(line);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            line.usage(System.err);
            System.exit(2);
        }
        return o;
    }

    private void resolve(CommandLine line) {
        SasRecConfig d = SasRecConfig.defaults();
        config = new SasRecConfig(or(maxLength, d.maxLength()), or(dim, d.dim()), or(heads, d.heads()),
                or(blocks, d.blocks()), or(dropout, d.dropout()), or(lr, d.learningRate()), or(batch, d.batchSize()),
                or(negatives, d.negatives()), or(seed, d.seed()));
        schedule = LearningRateSchedule.parse(scheduleName, warmupEpochs);
        cooccurrenceInit = choice(line, "--item-init", itemInit, List.of("random", "cooccurrence"));
        try {
            trainingWindows = TrainingWindows.parse(trainingWindowsName);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(line, "--training-windows: " + e.getMessage());
        }
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** True for the second of the two {@code choices}, false for the first. */
    private static boolean choice(CommandLine line, String option, String value, List<String> choices) {
        if (!choices.contains(value)) {
            throw new CommandLine.ParameterException(line, option + " must be " + String.join(" or ", choices)
                    + ", not " + value);
        }
        return value.equals(choices.get(1));
    }

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
        t.put("trainingWindows", trainingWindows.label());
        return t;
    }
}
