package dev.recsys.store;

import java.net.URI;
import java.nio.file.Path;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Opens a store by URI: {@code file:///path} or {@code s3://bucket/prefix}. */
public final class BlobStores {

    private BlobStores() {
    }

    public static BlobStore open(String uri, S3Settings s3) {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("store URI '" + uri + "' is not a URI: " + e.getMessage(), e);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme();
        switch (scheme) {
            case "file":
                return new FileBlobStore(Path.of(parsed));
            case "s3":
                if (parsed.getHost() == null || parsed.getHost().isBlank()) {
                    throw new IllegalArgumentException("store URI '" + uri + "' names no bucket: s3://bucket/prefix");
                }
                String prefix = parsed.getPath() == null ? "" : parsed.getPath().replaceFirst("^/", "");
                return new S3BlobStore(client(s3), parsed.getHost(), prefix);
            default:
                throw new IllegalArgumentException("store URI '" + uri + "': scheme must be file: or s3:");
        }
    }

    static S3Client client(S3Settings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                // Checksums only where the API requires them: S3-compatible servers differ in which of the
                // newer checksum headers they accept; the manifest's SHA-256 guards the content anyway.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.timeout().dividedBy(3))
                        .socketTimeout(settings.timeout()))
                .overrideConfiguration(c -> c.apiCallTimeout(settings.timeout())
                        .apiCallAttemptTimeout(settings.timeout().dividedBy(2)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        if (settings.accessKey().isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().get())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }
}
