package dev.recsys.stack.importer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import picocli.CommandLine.Option;

/** Where a tool sends its calls, and the key it sends: the options every importer takes. */
public final class FunctionsEndpoint {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the functions (${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--api-key", defaultValue = "${env:RECSYS_API_KEY}",
            description = "sent as X-Api-Key (default: $RECSYS_API_KEY, else none)")
    String apiKey;

    public FunctionsEndpoint() {
    }

    public FunctionsEndpoint(URI url, String apiKey) {
        this.url = url;
        this.apiKey = apiKey;
    }

    /** A JSON POST of {@code body} to {@code path}, with the key when there is one. */
    public HttpRequest post(String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("X-Api-Key", apiKey);
        }
        return request.build();
    }
}
