package dev.recsys.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects under {@code s3://bucket/prefix/} through the AWS SDK for Java v2: the same code for AWS
 * S3 and every S3-compatible server (S3Proxy, MinIO, ...). Conditional writes use S3's If-None-Match and
 * If-Match headers; a store that ignored them would let two writers overwrite each other, so the contract
 * tests check them against a real server.
 */
public final class S3BlobStore implements BlobStore {

    private final S3Client s3;
    private final String bucket;
    /** Empty, or ends with '/'. */
    private final String prefix;

    public S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    @Override
    public Optional<StoredBlob> get(String key) {
        try {
            var response = s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key));
            return Optional.of(new StoredBlob(response.asByteArray(), response.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable("get", key, e);
        } catch (SdkClientException e) {
            throw unavailable("get", key, e);
        }
    }

    @Override
    public String put(String key, byte[] data) {
        return put(key, data, null);
    }

    @Override
    public String putIfAbsent(String key, byte[] data) {
        return put(key, data, b -> b.ifNoneMatch("*"));
    }

    @Override
    public String putIfMatch(String key, byte[] data, String etag) {
        return put(key, data, b -> b.ifMatch(etag));
    }

    /** @param condition null for an unconditional write */
    private String put(String key, byte[] data, java.util.function.Consumer<PutObjectRequest.Builder> condition) {
        try {
            PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(prefix + key)
                    .contentLength((long) data.length);
            if (condition != null) {
                condition.accept(request);
            }
            return s3.putObject(request.build(), RequestBody.fromBytes(data)).eTag();
        } catch (S3Exception e) {
            // 412: the condition failed; 409: a concurrent conditional write won (S3 asks to re-read and retry);
            // 404 on If-Match: the object is gone.
            if (condition != null && (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404)) {
                // The SDK retries a request whose answer it did not get; if the first attempt landed, the
                // retry is refused for this very write. The store then holds exactly these bytes.
                Optional<StoredBlob> now = get(key);
                if (now.isPresent() && now.get().holds(data)) {
                    return now.get().etag();
                }
                throw new WriteConflictException(key + " in " + describe() + ": conditional write refused ("
                        + e.statusCode() + " " + errorCode(e) + "); another writer got there first");
            }
            throw unavailable("put", key, e);
        } catch (SdkClientException e) {
            throw unavailable("put", key, e);
        }
    }

    @Override
    public List<String> list(String under) {
        try {
            List<String> keys = new ArrayList<>();
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + under))) {
                for (S3Object o : page.contents()) {
                    keys.add(o.key().substring(prefix.length()));
                }
            }
            keys.sort(null);
            return keys;
        } catch (S3Exception | SdkClientException e) {
            throw unavailable("list", under, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
        } catch (S3Exception | SdkClientException e) {
            throw unavailable("delete", key, e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void close() {
        s3.close();
    }

    private StoreUnavailableException unavailable(String operation, String key, RuntimeException e) {
        String detail = e instanceof S3Exception s ? s.statusCode() + " " + errorCode(s) : e.getMessage();
        return new StoreUnavailableException(operation + " " + key + " in " + describe() + " failed: " + detail, e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }
}
