package io.switchboard.users;

import io.switchboard.api.SessionLocation;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.errors.SessionErrors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link SessionDirectory} in one JVM: for standalone servers and for several gates in one process (tests).
 * Commands are delivered synchronously, on the sender's thread.
 */
public final class MemorySessionDirectory implements SessionDirectory {
    private final Map<String, Set<SessionLocation>> users = new HashMap<>();
    private final Map<String, Consumer<GateCommand>> gates = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<List<SessionLocation>> bind(String uid, SessionLocation location, LoginPolicy policy) {
        synchronized (users) {
            Set<SessionLocation> at = users.computeIfAbsent(uid, u -> new LinkedHashSet<>());
            List<SessionLocation> others = new ArrayList<>(at);
            others.remove(location);
            switch (policy) {
                case REFUSE_NEW -> {
                    if (!others.isEmpty()) {
                        return CompletableFuture.failedFuture(new SwitchboardException(SessionErrors.ALREADY_LOGGED_IN,
                                uid + " is logged in elsewhere"));
                    }
                    at.add(location);
                    return CompletableFuture.completedFuture(List.of());
                }
                case KICK_OLD -> {
                    at.clear();
                    at.add(location);
                    return CompletableFuture.completedFuture(others);
                }
                default -> {
                    at.add(location);
                    return CompletableFuture.completedFuture(List.of());
                }
            }
        }
    }

    @Override
    public CompletableFuture<Boolean> unbind(String uid, SessionLocation location) {
        synchronized (users) {
            Set<SessionLocation> at = users.get(uid);
            boolean removed = at != null && at.remove(location);
            if (at != null && at.isEmpty()) {
                users.remove(uid);
            }
            return CompletableFuture.completedFuture(removed);
        }
    }

    @Override
    public CompletableFuture<List<SessionLocation>> lookup(String uid) {
        synchronized (users) {
            Set<SessionLocation> at = users.get(uid);
            return CompletableFuture.completedFuture(at == null ? List.of() : List.copyOf(at));
        }
    }

    @Override
    public CompletableFuture<Integer> purgeGate(String gateId) {
        int removed = 0;
        synchronized (users) {
            for (var it = users.values().iterator(); it.hasNext(); ) {
                Set<SessionLocation> at = it.next();
                for (var locations = at.iterator(); locations.hasNext(); ) {
                    if (locations.next().gateId().equals(gateId)) {
                        locations.remove();
                        removed++;
                    }
                }
                if (at.isEmpty()) {
                    it.remove();
                }
            }
        }
        return CompletableFuture.completedFuture(removed);
    }

    @Override
    public CompletableFuture<Void> send(String gateId, GateCommand command) {
        Consumer<GateCommand> gate = gates.get(gateId);
        if (gate != null) {
            gate.accept(command);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<AutoCloseable> subscribe(String gateId, Consumer<GateCommand> listener) {
        if (gates.putIfAbsent(gateId, listener) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("gate " + gateId + " subscribed twice"));
        }
        return CompletableFuture.completedFuture(() -> gates.remove(gateId, listener));
    }

    @Override
    public void close() {
        gates.clear();
    }
}
