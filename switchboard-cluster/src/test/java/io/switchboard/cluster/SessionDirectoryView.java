package io.switchboard.cluster;

import io.switchboard.users.GateCommand;
import io.switchboard.users.LoginPolicy;
import io.switchboard.users.SessionDirectory;
import io.switchboard.api.SessionLocation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** One "process's" handle on a directory shared in the JVM: everything but {@link #close()} goes through. */
final class SessionDirectoryView implements SessionDirectory {
    private final SessionDirectory shared;

    SessionDirectoryView(SessionDirectory shared) {
        this.shared = shared;
    }

    @Override
    public CompletableFuture<List<SessionLocation>> bind(String uid, SessionLocation location, LoginPolicy policy) {
        return shared.bind(uid, location, policy);
    }

    @Override
    public CompletableFuture<Boolean> unbind(String uid, SessionLocation location) {
        return shared.unbind(uid, location);
    }

    @Override
    public CompletableFuture<List<SessionLocation>> lookup(String uid) {
        return shared.lookup(uid);
    }

    @Override
    public CompletableFuture<Void> send(String gateId, GateCommand command) {
        return shared.send(gateId, command);
    }

    @Override
    public CompletableFuture<AutoCloseable> subscribe(String gateId, Consumer<GateCommand> listener) {
        return shared.subscribe(gateId, listener);
    }

    @Override
    public CompletableFuture<Integer> purgeGate(String gateId) {
        return shared.purgeGate(gateId);
    }

    @Override
    public CompletableFuture<Boolean> gateAlive(String gateId, Duration ttl) {
        return shared.gateAlive(gateId, ttl);
    }

    @Override
    public CompletableFuture<Integer> purgeDeadGates() {
        return shared.purgeDeadGates();
    }

    @Override
    public void close() {
        // the shared directory outlives each view
    }
}
