package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.protocol.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A message the server pushed unasked: a route and a body. */
public final class Push {
    private final String route;
    private final byte[] body;

    public Push(String route, byte[] body) {
        this.route = Objects.requireNonNull(route, "route");
        this.body = Objects.requireNonNull(body, "body");
    }

    public String route() {
        return route;
    }

    /** The body as sent; not a copy, do not change it. */
    public byte[] body() {
        return body;
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON (the default serializer); an empty body is JSON {@code null}. */
    public JsonNode json() {
        if (body.length == 0) {
            return Json.MAPPER.nullNode();
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("push body is not JSON", e);
        }
    }

    @Override
    public String toString() {
        return "Push(" + route + ", " + body.length + "B)";
    }
}
