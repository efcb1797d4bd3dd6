package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.protocol.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a request: its body, and whether the server flagged it as an error (flag bit 0x20, Pitaya
 * style). An error's body is {@code {"code":<uint32>,"msg":".."}}; {@link #errorCode()} and
 * {@link #errorMessage()} read it.
 */
public final class Response {
    /** What {@link #errorCode()} returns when there is no numeric code. */
    public static final long NO_CODE = -1;

    private final long id;
    private final byte[] body;
    private final boolean error;
    private final long errorCode;
    private final String errorMessage;

    public Response(long id, byte[] body, boolean error) {
        this.id = id;
        this.body = body;
        this.error = error;
        JsonNode json = error ? parseQuietly(body) : null;
        JsonNode code = json == null ? null : json.get("code");
        JsonNode msg = json == null ? null : json.get("msg");
        this.errorCode = code != null && code.canConvertToLong() ? code.asLong() : NO_CODE;
        this.errorMessage = msg != null && !msg.isNull() ? msg.asText() : null;
    }

    /** The id of the request this answers. */
    public long id() {
        return id;
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
            throw new UncheckedIOException("response body is not JSON", e);
        }
    }

    /** Whether the server answered with an error response. */
    public boolean isError() {
        return error;
    }

    /**
     * The error's {@code code}, or {@link #NO_CODE} for a success, or an error whose code is missing or not a
     * number (Pitaya sends strings such as {@code "PIT-404"}: read them from {@link #json()}).
     */
    public long errorCode() {
        return errorCode;
    }

    /** The error's {@code msg}, or {@code null}. */
    public String errorMessage() {
        return errorMessage;
    }

    private static JsonNode parseQuietly(byte[] body) {
        try {
            return body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return error
                ? "Response(#" + id + " error " + errorCode + " " + errorMessage + ")"
                : "Response(#" + id + ", " + body.length + "B)";
    }
}
