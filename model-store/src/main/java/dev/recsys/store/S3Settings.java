package dev.recsys.store;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach an S3 API. On AWS only the region matters and credentials come from the default chain
 * (environment, profile, instance role); an S3-compatible server needs its endpoint, usually path-style
 * access, and its own keys.
 *
 * @param endpoint  empty for AWS itself
 * @param accessKey with {@code secretKey}: static credentials; empty: the default chain
 * @param timeout   the most one call may take, retries included: a store that does not answer must
 *                  not hang a checkpoint
 */
public record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle, Optional<String> accessKey,
        Optional<String> secretKey, Duration timeout) {

    public S3Settings {
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("S3 access key and secret key go together: give both or neither");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("S3 timeout must be positive, not " + timeout);
        }
    }

    /** AWS S3 in a region, credentials from the default chain. */
    public static S3Settings aws(String region) {
        return new S3Settings(Optional.empty(), region, false, Optional.empty(), Optional.empty(),
                Duration.ofSeconds(30));
    }

    /** An S3-compatible server at {@code endpoint}, path-style, with static keys. */
    public static S3Settings compatible(URI endpoint, String accessKey, String secretKey) {
        return new S3Settings(Optional.of(endpoint), "us-east-1", true, Optional.of(accessKey),
                Optional.of(secretKey), Duration.ofSeconds(10));
    }

    public S3Settings withTimeout(Duration timeout) {
        return new S3Settings(endpoint, region, pathStyle, accessKey, secretKey, timeout);
    }
}
