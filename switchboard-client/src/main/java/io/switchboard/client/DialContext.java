package io.switchboard.client;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.switchboard.protocol.PackageHeader;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Dialer} needs to dial: seed 002's {@code DialerContext}.
 *
 * @param target         where to dial: {@code tcp://}, {@code tls://}, {@code ws://} or {@code wss://}
 * @param group          the event loops the channel is registered with (NIO)
 * @param connectTimeout bound on each step of the dial
 * @param sslContext     the TLS context for {@code tls://} and {@code wss://}; {@code null} for plain schemes
 * @param handler        added last to the pipeline once the transport is ready
 * @param maxBodyLength  the largest package body the client reads, 0 to {@link PackageHeader#MAX_BODY_LENGTH}
 *                       ({@link SwitchboardClientBuilder#maxBodyLength(int)}). A transport that carries each package
 *                       in a message of its own caps its messages at {@link #maxPackageLength()}, so that a server
 *                       cannot make the client buffer more than it would read: {@link WebSocketDialer} caps its
 *                       frames so.
 */
public record DialContext(URI target, EventLoopGroup group, Duration connectTimeout, SslContext sslContext,
                          ChannelHandler handler, int maxBodyLength) {

    public DialContext {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(handler, "handler");
        if (maxBodyLength < 0 || maxBodyLength > PackageHeader.MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("maxBodyLength must be 0.." + PackageHeader.MAX_BODY_LENGTH + ": "
                    + maxBodyLength);
        }
    }

    /**
     * A context whose {@link #maxBodyLength()} is the largest a package header can announce,
     * {@link PackageHeader#MAX_BODY_LENGTH}. A dialer that makes a context of its own from the one it was given (to
     * dial another target, say) should pass the given {@link #maxBodyLength()} on instead.
     */
    public DialContext(URI target, EventLoopGroup group, Duration connectTimeout, SslContext sslContext,
                       ChannelHandler handler) {
        this(target, group, connectTimeout, sslContext, handler, PackageHeader.MAX_BODY_LENGTH);
    }

    /** The largest package the client reads, header and body: {@link #maxBodyLength()} + 4. */
    public int maxPackageLength() {
        return PackageHeader.HEADER_LENGTH + maxBodyLength;
    }

    /** The target's host; brackets of an IPv6 literal removed. */
    public String host() {
        String host = target.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + target);
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The target's port, or the scheme's default (80 for ws, 443 for wss) when the URI has none. */
    public int port() {
        if (target.getPort() != -1) {
            return target.getPort();
        }
        String scheme = target.getScheme();
        if ("ws".equalsIgnoreCase(scheme)) {
            return 80;
        }
        if ("wss".equalsIgnoreCase(scheme)) {
            return 443;
        }
        throw new IllegalArgumentException("no port in " + target);
    }

    /** Whether the scheme runs TLS under the protocol: {@code tls} or {@code wss}. */
    public boolean secure() {
        return isSecure(target);
    }

    static boolean isSecure(URI target) {
        String scheme = target.getScheme();
        return "tls".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme);
    }

    int connectTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
    }
}
