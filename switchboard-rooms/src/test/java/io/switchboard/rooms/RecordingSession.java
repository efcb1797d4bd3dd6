package io.switchboard.rooms;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.gate.Session;
import io.switchboard.protocol.HandshakeRequest;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/** A session without a connection that records what is pushed to it: for room tests that need no gate. */
final class RecordingSession implements Session {
    private static final AtomicLong IDS = new AtomicLong();

    record Pushed(String route, String body) {
    }

    final List<Pushed> pushes = new CopyOnWriteArrayList<>();
    private final long id = IDS.incrementAndGet();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final List<BiConsumer<Session, String>> closeListeners = new ArrayList<>();
    private volatile String userId;
    private String closed;

    @Override
    public long id() {
        return id;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public void bind(String userId) {
        this.userId = userId;
    }

    @Override
    public void unbind() {
        userId = null;
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public HandshakeRequest handshake() {
        return null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
    }

    @Override
    public HandshakeInfo.Transport transport() {
        return HandshakeInfo.Transport.TCP;
    }

    @Override
    public synchronized boolean isActive() {
        return closed == null;
    }

    @Override
    public void onClose(BiConsumer<Session, String> listener) {
        String reason;
        synchronized (this) {
            reason = closed;
            if (reason == null) {
                closeListeners.add(listener);
                return;
            }
        }
        listener.accept(this, reason);
    }

    @Override
    public CompletableFuture<Void> push(String route, byte[] body) {
        pushes.add(new Pushed(route, new String(body, StandardCharsets.UTF_8)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> push(String route, Object body) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void writeEncoded(ByteBuf encoded) {
        encoded.release();
        throw new UnsupportedOperationException();
    }

    @Override
    public void kick(String reason) {
        close(reason);
    }

    @Override
    public void close(String reason) {
        List<BiConsumer<Session, String>> listeners;
        synchronized (this) {
            if (closed != null) {
                return;
            }
            closed = reason;
            listeners = new ArrayList<>(closeListeners);
        }
        listeners.forEach(l -> l.accept(this, reason));
    }

    @Override
    public Channel channel() {
        return null;
    }
}
