package io.switchboard.gate;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.api.Session;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.PomeloMessage;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link Session} as the gate's framework code sees it: the client's connection, its handshake and its transport.
 * Handler code gets the plain {@link Session}; this is for listeners, routers and fan-outs running in a gate.
 */
public interface GateSession extends Session {

    /** The client's handshake. */
    HandshakeRequest handshake();

    HandshakeInfo.Transport transport();

    /**
     * Writes an already encoded data package (see
     * {@link io.switchboard.protocol.PomeloMessageCodec#encodePackage}); takes ownership of {@code encoded}.
     * This is how a broadcast encodes once and writes to many sessions.
     */
    void writeEncoded(ByteBuf encoded);

    /**
     * Writes a response or push behind the session's earlier writes; completes when written. A response larger than a
     * package carries goes out as an {@code ANSWER_TOO_LARGE} error to its request instead.
     */
    CompletableFuture<Void> write(PomeloMessage message);

    /** The connection. */
    Channel channel();
}
