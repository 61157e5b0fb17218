package dev.recsys.stack.bench;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** bin/bench's command line. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Throughput and latency of the whole stack (broker, worker, functions) on this machine.",
        footer = "%napi: each call (recommend with and without filters, session, rerank, similar items) at "
                + "--api-rate; --movies gives categories, else synthetic. recommend always runs.")
public final class BenchmarkOptions {

    public static final List<String> MODELS = List.of("popularity", "cooccurrence", "sasrec", "bootstrap");

    @Option(names = "--ratings", description = "MovieLens ratings.csv as the workload (default: synthetic)")
    Path ratings;

    @Option(names = "--movies", description = "MovieLens movies.csv: categories for the api phase")
    Path movies;

    @Option(names = "--model", defaultValue = "popularity", description = "popularity, cooccurrence, sasrec or "
            + "bootstrap (the worker trains its own while measured) (${DEFAULT-VALUE})")
    String model;

    @Option(names = "--api-rate", defaultValue = "100", description = "calls/s of the api phase (${DEFAULT-VALUE})")
    int apiRate;

    @Option(names = "--api-rounds", defaultValue = "3", description = "(${DEFAULT-VALUE})")
    int apiRounds;

    @Option(names = "--seconds", defaultValue = "15", description = "each measured loop (${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup", defaultValue = "5", description = "unreported seconds before each loop (${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--clients", defaultValue = "8", description = "ingest clients, and connections of the open "
            + "loops (${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--batch", defaultValue = "500", description = "events per ingest call (${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--rates", split = ",", defaultValue = "200,500",
            description = "recommend open loops, calls/s; the first also before and during training (${DEFAULT-VALUE})")
    List<Integer> rates;

    @Option(names = "--closed", split = ",", defaultValue = "1,8,32",
            description = "recommend closed loops, clients each (${DEFAULT-VALUE})")
    List<Integer> closed;

    @Option(names = "--perf-records", defaultValue = "2000000", description = "records of the producer-perf phase (${DEFAULT-VALUE})")
    int perfRecords;

    @Option(names = "--phases", defaultValue = "perf,ingest", description = "perf, ingest, api, refit (with "
            + "bootstrap: load the data again and measure during the re-fit it makes due) (${DEFAULT-VALUE})")
    String phases;

    /** worker.scoring.read-your-writes-wait: the worker's default, or PT0S to measure without the wait. */
    @Option(names = "--read-your-writes-wait", defaultValue = "PT1S",
            description = "the worker's bound; PT0S answers without waiting (${DEFAULT-VALUE})")
    java.time.Duration readYourWritesWait;

    @Option(names = "--shards", defaultValue = "0", description = "a trainer and this many serving shards instead of "
            + "one worker; the data is loaded once, not in an ingest phase (${DEFAULT-VALUE})")
    int shards;

    /** Parses {@code args}: null after --help; usage and exit 2 on a bad line. */
    public static BenchmarkOptions parse(String[] args) {
        BenchmarkOptions o = new BenchmarkOptions();
        CommandLine line = new CommandLine(o);
        try {
            line.parseArgs(args);
            if (line.isUsageHelpRequested() || line.isVersionHelpRequested()) {
                line.usage(System.out);
                return null;
            }
            if (!MODELS.contains(o.model)) {
                throw new CommandLine.ParameterException(line, "--model: one of " + MODELS + ", not " + o.model);
            }
        } catch (CommandLine.ParameterException e) {
            System.err.println("bin/bench: " + e.getMessage());
            line.usage(System.err);
            System.exit(2);
        }
        return o;
    }
}
