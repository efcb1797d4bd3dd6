package io.switchboard.cluster.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.api.Session;
import io.switchboard.api.TypedAttributes;
import io.switchboard.api.spi.SessionBinding;
import io.switchboard.gate.GateSession;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.PomeloMessage;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A gate session for unit tests: responses land in an {@link EmbeddedChannel} ({@link #replies()} reads and
 * releases them), pushes and kicks are recorded. Close it (or {@link #kick}) to release what is left.
 */
final class TestSession implements GateSession, SessionBinding, AutoCloseable {
    /** A response the session was sent: its request id, whether it is an error, and its body as text. */
    record Reply(long id, boolean error, String body) {
    }

    /** A push the session was sent. */
    record Pushed(String route, String body) {
    }

    private final long id;
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final TypedAttributes attributes = new TypedAttributes();
    final List<Pushed> pushes = new CopyOnWriteArrayList<>();
    final List<String> kicks = new CopyOnWriteArrayList<>();
    private volatile String userId;

    TestSession(long id) {
        this.id = id;
    }

    /** The responses written since the last call, released. */
    List<Reply> replies() {
        List<Reply> replies = new ArrayList<>();
        for (PomeloMessage message; (message = channel.readOutbound()) != null; ) {
            try {
                replies.add(new Reply(message.id(), message.isError(),
                        message.content().toString(StandardCharsets.UTF_8)));
            } finally {
                message.release();
            }
        }
        return replies;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String userId() {
        return userId;
    }

    /** On this session alone, as a gate without users does. */
    @Override
    public CompletableFuture<Void> bind(String userId) {
        this.userId = userId;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unbind() {
        this.userId = null;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void userIdBound(String userId) {
        this.userId = userId;
    }

    @Override
    public TypedAttributes attributes() {
        return attributes;
    }

    @Override
    public HandshakeRequest handshake() {
        return HandshakeRequest.parse("{}");
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public HandshakeInfo.Transport transport() {
        return HandshakeInfo.Transport.TCP;
    }

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    @Override
    public void onClose(BiConsumer<Session, String> listener) {
        channel.closeFuture().addListener(f -> listener.accept(this, "closed"));
    }

    @Override
    public CompletableFuture<Void> push(String route, byte[] body) {
        pushes.add(new Pushed(route, new String(body, StandardCharsets.UTF_8)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> push(String route, Object body) {
        return push(route, String.valueOf(body).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void writeEncoded(ByteBuf encoded) {
        encoded.release();
    }

    @Override
    public CompletableFuture<Void> write(PomeloMessage message) {
        channel.writeOutbound(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void kick(String reason) {
        kicks.add(reason);
        close(reason);
    }

    @Override
    public void close(String reason) {
        replies();
        channel.finishAndReleaseAll();
    }

    @Override
    public void close() {
        close("test over");
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "TestSession(" + id + ")";
    }
}
