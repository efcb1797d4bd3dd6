package io.switchboard.rooms;

import io.switchboard.api.Session;
import io.switchboard.api.TypedAttributes;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    private final TypedAttributes attributes = new TypedAttributes();
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
    public CompletableFuture<Void> bind(String userId) {
        this.userId = userId;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unbind() {
        userId = null;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public TypedAttributes attributes() {
        return attributes;
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
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
}
