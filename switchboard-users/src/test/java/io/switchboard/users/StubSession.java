package io.switchboard.users;

import io.switchboard.api.Session;
import io.switchboard.api.SessionAttributes;
import io.switchboard.api.spi.SessionBinding;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** A session with a user binding and close listeners (run at once when added after the close), nothing else. */
final class StubSession implements Session, SessionBinding {
    private final long id;
    private final SessionAttributes attributes = new SessionAttributes();
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
    public SessionAttributes attributes() {
        return attributes;
    }

    @Override
    public SocketAddress remoteAddress() {
        return null;
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
}
