package io.switchboard.users;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.api.Session;
import io.switchboard.api.TypedAttributes;
import io.switchboard.api.spi.SessionBinding;
import io.switchboard.gate.GateSession;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.PomeloMessage;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A session with a user binding and close listeners (run at once when added after the close), nothing else; a
 * {@link GateSession} so that it can sit in a gate's channel map, but without a connection.
 */
final class StubSession implements GateSession, SessionBinding {
    private final long id;
    private final TypedAttributes attributes = new TypedAttributes();
    private final List<BiConsumer<Session, String>> closeListeners = new ArrayList<>();
    private volatile String userId;
    private String closedWith;

    StubSession(long id) {
        this.id = id;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public void userIdBound(String userId) {
        this.userId = userId;
    }

    @Override
    public CompletableFuture<Void> bind(String userId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> unbind() {
        throw new UnsupportedOperationException();
    }

    @Override
    public TypedAttributes attributes() {
        return attributes;
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
    }

    /** The reason it was closed with, or {@code null} while open. */
    synchronized String closedWith() {
        return closedWith;
    }

    @Override
    public synchronized boolean isActive() {
        return closedWith == null;
    }

    @Override
    public void onClose(BiConsumer<Session, String> listener) {
        String reason;
        synchronized (this) {
            reason = closedWith;
            if (reason == null) {
                closeListeners.add(listener);
                return;
            }
        }
        listener.accept(this, reason);
    }

    @Override
    public CompletableFuture<Void> push(String route, byte[] body) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> push(String route, Object body) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void kick(String reason) {
        close(reason);
    }

    @Override
    public void close(String reason) {
        List<BiConsumer<Session, String>> listeners;
        synchronized (this) {
            if (closedWith != null) {
                return;
            }
            closedWith = reason;
            listeners = new ArrayList<>(closeListeners);
        }
        listeners.forEach(listener -> listener.accept(this, reason));
    }

    @Override
    public HandshakeRequest handshake() {
        throw new UnsupportedOperationException();
    }

    @Override
    public HandshakeInfo.Transport transport() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void writeEncoded(ByteBuf encoded) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> write(PomeloMessage message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Channel channel() {
        throw new UnsupportedOperationException();
    }
}
