package io.switchboard.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

/** What an admin route answers: a status, a content type and a body. */
public record AdminResponse(HttpResponseStatus status, String contentType, byte[] body) {

    public static AdminResponse json(String json) {
        return new AdminResponse(HttpResponseStatus.OK, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static AdminResponse text(HttpResponseStatus status, String text) {
        return new AdminResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
