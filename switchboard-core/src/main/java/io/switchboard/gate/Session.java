package io.switchboard.gate;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.protocol.HandshakeRequest;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One client connection after its handshake (seed 002's {@code Agent}): an id unique in this gate, an
 * optional bound user id, attributes, close listeners, and ways to push to the client. Thread-safe.
 */
public interface Session {

    /** Unique among this gate's sessions, never reused while the gate runs. */
    long id();

    /** The bound user id, or {@code null} before {@link #bind(String)}. */
    String userId();

    /** Binds this session to a user id; the id can be bound once and then only changed by unbinding. */
    void bind(String userId);

    /** Clears the bound user id. */
    void unbind();

    /** Free-form attributes for handlers and filters; a concurrent map. */
    Map<String, Object> attributes();

    /** The client's handshake. */
    HandshakeRequest handshake();

    SocketAddress remoteAddress();

    HandshakeInfo.Transport transport();

    boolean isActive();

    /** Runs {@code listener} with the close reason once the session closes (at once if it already has). */
    void onClose(BiConsumer<Session, String> listener);

    /** Pushes a message with a body already serialized; completes when written (or fails when closed). */
    CompletableFuture<Void> push(String route, byte[] body);

    /** Pushes a message; the body object is serialized with the server's serializer. */
    CompletableFuture<Void> push(String route, Object body);

    /**
     * Writes an already encoded data package (see
     * {@link io.switchboard.protocol.PomeloMessageCodec#encodePackage}); takes ownership of {@code encoded}.
     * This is how a broadcast encodes once and writes to many sessions.
     */
    void writeEncoded(ByteBuf encoded);

    /**
     * How pushes to many sessions like this one are delivered together; see {@link FanOut#pushAll}. Sessions of
     * one fan-out are pushed to with one call. The default pushes to each session on its own.
     */
    default FanOut fanOut() {
        return FanOut.PER_SESSION;
    }

    /** Sends a kick package with {@code reason} and closes. */
    void kick(String reason);

    /** Closes without a kick package. */
    void close(String reason);

    /** The Netty channel; for framework code, not handlers. */
    Channel channel();
}
