package io.switchboard.client;

import io.netty.channel.Channel;

import java.util.concurrent.CompletableFuture;

/**
 * Dials a server and readies the transport: connects, runs the TLS handshake and the WebSocket upgrade where
 * the scheme asks for them, then adds {@link DialContext#handler()} last to the pipeline. From there on the
 * pipeline carries the Pomelo byte stream both ways; the client runs the Pomelo handshake itself.
 *
 * <p>Seed 002's {@code Dialer}. Implement it to reach a server some other way (a proxy, a custom transport).
 */
public interface Dialer {

    /**
     * Dials {@link DialContext#target()}. Each step must be bounded by {@link DialContext#connectTimeout()}.
     *
     * @return completes with the channel once {@link DialContext#handler()} is in its pipeline, or fails with
     *         the reason the dial failed (the channel, if one was opened, is then closed). When the caller
     *         cancels it, the dialer gives up and closes the channel it opened.
     */
    CompletableFuture<Channel> dial(DialContext context);
}
