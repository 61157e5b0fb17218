package dev.recsys.functions.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/** Funqy always answers 200 on success; this lets a function say 202 Accepted instead. */
@ApplicationScoped
public class HttpStatus {

    @Inject
    CurrentVertxRequest request;

    /** Call on the function's own thread; applies only if the function goes on to succeed. */
    public void onSuccess(int status) {
        var ctx = request.getCurrent();
        if (ctx == null) {
            return;
        }
        var response = ctx.response();
        ctx.addHeadersEndHandler(v -> {
            if (response.getStatusCode() == 200) {
                response.setStatusCode(status);
            }
        });
    }
}
