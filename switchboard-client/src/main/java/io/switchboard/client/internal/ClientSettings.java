package io.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.common.time.Ticker;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PackageHeader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * What one client was built with, as its connection needs it.
 *
 * @param user           the handshake's {@code user} object
 * @param sysExtras      fields added to (or replacing) the handshake's {@code sys} object
 * @param requestTimeout how long a request waits for its answer
 * @param connectTimeout bound on the Pomelo handshake (the dialer bounds the transport steps with it too)
 * @param tickInterval   how often deadlines and heartbeats are checked
 * @param ticker         the clock those checks read
 * @param knownRoutes    a dictionary the client already holds, used when the server does not send one; or null
 * @param maxBodyLength  the largest package body the client reads, and the bound on an inflated body; with the
 *                       package header, the bound on a WebSocket frame too
 * @param maxPendingWriteBytes bytes that may wait to be written before the connection is given up on
 */
public record ClientSettings(JsonNode user, ObjectNode sysExtras, Duration requestTimeout, Duration connectTimeout,
                             Duration tickInterval, Ticker ticker, KnownRoutes knownRoutes, int maxBodyLength,
                             int maxPendingWriteBytes) {

    /** The client type sent in the handshake's {@code sys.type}. */
    public static final String CLIENT_TYPE = "java";
    /** The SDK version sent in the handshake's {@code sys.version}. */
    public static final String CLIENT_VERSION = "0.1.0";
    /** The default {@link #maxBodyLength}: the largest body the package header can announce (16 MiB − 1). */
    public static final int DEFAULT_MAX_BODY_LENGTH = PackageHeader.MAX_BODY_LENGTH;
    /** The default {@link #maxPendingWriteBytes}: room for two packages of the largest size. */
    public static final int DEFAULT_MAX_PENDING_WRITE_BYTES = 32 * 1024 * 1024;

    public ClientSettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(ticker, "ticker");
        if (maxBodyLength < 0 || maxBodyLength > PackageHeader.MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("maxBodyLength must be 0.." + PackageHeader.MAX_BODY_LENGTH + ": "
                    + maxBodyLength);
        }
        if (maxPendingWriteBytes <= 0) {
            throw new IllegalArgumentException("maxPendingWriteBytes must be positive: " + maxPendingWriteBytes);
        }
    }

    /** Settings with the default body and write-buffer limits. */
    public ClientSettings(JsonNode user, ObjectNode sysExtras, Duration requestTimeout, Duration connectTimeout,
                          Duration tickInterval, Ticker ticker, KnownRoutes knownRoutes) {
        this(user, sysExtras, requestTimeout, connectTimeout, tickInterval, ticker, knownRoutes,
                DEFAULT_MAX_BODY_LENGTH, DEFAULT_MAX_PENDING_WRITE_BYTES);
    }

    /**
     * Whether the handshake asks for zlib bodies ({@code sys.compress}), read as the server reads it: only then may
     * the server send compressed bodies, so only then does the client inflate one.
     */
    public boolean asksForCompression() {
        return sysExtras != null && new HandshakeRequest(sysExtras, NullNode.instance).wantsCompression();
    }

    /** A dictionary kept from an earlier connection, with the version the server gave it. */
    public record KnownRoutes(String version, Map<String, Integer> routeToCode) {
        public KnownRoutes {
            Objects.requireNonNull(version, "version");
            routeToCode = Map.copyOf(routeToCode);
        }
    }

    /**
     * The handshake body: {@code {"sys":{"type":"java","version":"0.1.0",...},"user":{...}}}. A known
     * dictionary's version goes in {@code sys.dictVersion} so the server may leave the dictionary out.
     */
    public byte[] handshakeBody() {
        return handshakeBody(null, 0);
    }

    /**
     * The handshake body asking to resume a session: {@code user} gets {@code resume} = {@code resumeToken} and
     * {@code received} = the pushes received on it (README "Reconnect and resume"). Without a token, or when
     * {@code user} is not an object, the plain body.
     */
    public byte[] handshakeBody(String resumeToken, long received) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode sys = root.putObject("sys");
        sys.put("type", CLIENT_TYPE);
        sys.put("version", CLIENT_VERSION);
        if (knownRoutes != null) {
            sys.put("dictVersion", knownRoutes.version());
        }
        if (sysExtras != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = sysExtras.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                sys.set(field.getKey(), field.getValue());
            }
        }
        JsonNode userField = user == null || user.isNull() ? Json.MAPPER.createObjectNode() : user;
        if (resumeToken != null && userField.isObject()) {
            ObjectNode resuming = ((ObjectNode) userField).deepCopy();
            resuming.put(HandshakeRequest.RESUME, resumeToken);
            resuming.put(HandshakeRequest.RECEIVED, received);
            userField = resuming;
        }
        root.set("user", userField);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
