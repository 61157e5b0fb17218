package dev.recsys.functions.access;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/** API keys kept in AWS Secrets Manager: the secret's value is a JSON array of keys. */
final class ApiKeySecret {

    private ApiKeySecret() {
    }

    /**
     * @param timeout bounds the connection and each read; the whole call gets twice that
     * @throws IllegalStateException naming the secret (never its value) if it cannot be read or is not a
     *                               JSON array of strings
     */
    static List<String> read(String secretId, Optional<URI> endpoint, Duration timeout) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(c -> c.apiCallTimeout(timeout.multipliedBy(2)));
        endpoint.ifPresent(builder::endpointOverride);
        String value;
        try (SecretsManagerClient client = builder.build()) {
            value = client.getSecretValue(r -> r.secretId(secretId)).secretString();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot read the API keys secret " + secretId + ": " + e.getMessage(), e);
        }
        try {
            JsonNode keys = new ObjectMapper().readTree(value == null ? "" : value);
            if (keys == null || !keys.isArray()) {
                throw new IllegalStateException("the API keys secret " + secretId + " is not a JSON array of keys");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode k : keys) {
                if (!k.isTextual() || k.asText().isBlank()) {
                    throw new IllegalStateException("the API keys secret " + secretId + " holds a non-string or empty key");
                }
                out.add(k.asText());
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the API keys secret " + secretId + " is not JSON", e);
        }
    }
}
