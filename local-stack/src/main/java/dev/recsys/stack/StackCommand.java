package dev.recsys.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code bin/stack}: runs the whole system on 127.0.0.1 in the foreground until Ctrl-C. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Runs a Kafka broker, the worker and the functions on 127.0.0.1 until Ctrl-C; data in .run/stack.")
public final class StackCommand implements Callable<Integer> {

    @Option(names = "--s3", description = "checkpoints to a real S3-compatible server (S3Proxy on 127.0.0.1:9000) "
            + "instead of a folder")
    boolean s3;

    @Option(names = "--shards", paramLabel = "N", description = "a dedicated trainer and N serving shards, each "
            + "holding the users of the feedback partitions Kafka assigns it (default 0: one worker does it all)")
    int shards;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StackCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("stack.root", ".")).toAbsolutePath().normalize();
        Path runDir = root.resolve(".run/stack");
        LocalStack.Ports ports = LocalStack.Ports.defaults();
        Map<String, String> workerConfig = new java.util.HashMap<>();
        dev.recsys.testsupport.LocalS3 objectStore = null;
        if (s3) {
            // A real S3-compatible server on loopback, through the same s3: code path as AWS.
            objectStore = dev.recsys.testsupport.LocalS3.start(runDir.resolve("s3"), 9000);
            objectStore.createBucket("recsys");
            workerConfig.put("worker.checkpoint.store", "s3://recsys/worker");
            workerConfig.put("worker.checkpoint.s3.endpoint", objectStore.endpoint().toString());
            workerConfig.put("worker.checkpoint.s3.path-style", "true");
            workerConfig.put("worker.checkpoint.s3.access-key", dev.recsys.testsupport.LocalS3.ACCESS_KEY);
            workerConfig.put("worker.checkpoint.s3.secret-key", dev.recsys.testsupport.LocalS3.SECRET_KEY);
        } else {
            workerConfig.put("worker.checkpoint.store", runDir.resolve("checkpoints").toUri().toString());
        }
        if (shards < 0 || shards > dev.recsys.kafka.LocalKafka.TOPICS.get("feedback")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--shards: 0 to "
                    + dev.recsys.kafka.LocalKafka.TOPICS.get("feedback") + " (one feedback partition each at least)");
        }
        if (shards > 0) {
            // The shards' item tables and model follow the trainer's checkpoints: more often than the default
            // 30 s, so that another user's events show in an answer within seconds here too.
            workerConfig.put("worker.checkpoint.interval", "PT5S");
        }
        LocalStack stack = LocalStack.start(root, runDir, ports, workerConfig, shards);
        dev.recsys.testsupport.LocalS3 startedStore = objectStore;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            if (startedStore != null) {
                startedStore.close();
            }
        }, "stack-shutdown"));
        System.out.println("""

                Recommender running on 127.0.0.1 (logs and broker data in %s)
                  functions                      %s
                  %-30s %s/q/health%s
                  kafka                          %s
                  checkpoints                    %s

                Try:
                  curl -s -X POST %2$s/ingest -H 'content-type: application/json' \\
                    -d '[{"userId":"alice","itemId":"m1","type":"view"},{"userId":"bob","itemId":"m1","type":"purchase"},{"userId":"bob","itemId":"m2","type":"click"}]'
                  curl -s -X POST %2$s/recommend -H 'content-type: application/json' -d '{"userId":"alice","k":5}'
                  curl -s -X POST %2$s/items -H 'content-type: application/json' \\
                    -d '[{"itemId":"m2","categories":["Comedy"],"hidden":true}]'
                  curl -s -X POST %2$s/recommend-session -H 'content-type: application/json' -d '{"items":["m1"]}'

                Functions: ingest, items, recommend, recommend-session, rerank, similar-items (docs/api.md).
                Movie genres: bin/import-items --file ../shared/data/ml-latest-small/movies.csv --id-prefix m

                Ctrl-C stops everything.""".formatted(runDir, stack.functionsUrl(),
                shards > 0 ? "trainer (health)" : "worker (health)", stack.workerUrl(), shardLines(stack),
                stack.bootstrapServers(), workerConfig.get("worker.checkpoint.store")
                        + (s3 ? " (S3Proxy at http://127.0.0.1:9000)" : "")));
        Thread.currentThread().join();
        return 0;
    }

    private static String shardLines(LocalStack stack) {
        StringBuilder out = new StringBuilder();
        List<String> urls = stack.shardUrls();
        for (int i = 0; i < urls.size(); i++) {
            out.append("\n  ").append("%-30s %s/q/health".formatted("shard-" + i + " (health)", urls.get(i)));
        }
        return out.toString();
    }
}
