package dev.recsys.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.recsys.testsupport.LocalS3;

/** The contract against a real S3-compatible server (S3Proxy on loopback), through the AWS SDK. */
class S3BlobStoreTest extends BlobStoreContract {

    static final String BUCKET = "checkpoints";
    static LocalS3 server;
    static Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("s3proxy-test");
        server = LocalS3.start(dir, LocalS3.freePort());
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    BlobStore newStore() {
        return BlobStores.open("s3://" + BUCKET + "/test-" + UUID.randomUUID(), S3Settings.compatible(server.endpoint(), LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY));
    }

    @Test
    void anUnreachableStoreFailsClearlyWithinItsTimeout() throws Exception {
        int closed = LocalS3.freePort(); // nothing listens there
        S3Settings settings = S3Settings.compatible(java.net.URI.create("http://127.0.0.1:" + closed),
                LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY).withTimeout(Duration.ofSeconds(2));
        CheckpointStore checkpoints = new CheckpointStore(BlobStores.open("s3://" + BUCKET + "/x", settings), 2);
        StoreUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(StoreUnavailableException.class,
                        () -> checkpoints.write(Map.of("weights", bytes("w")), Map.of())));
        assertTrue(e.getMessage().contains("s3://" + BUCKET + "/x/"), e.getMessage());
    }
}
