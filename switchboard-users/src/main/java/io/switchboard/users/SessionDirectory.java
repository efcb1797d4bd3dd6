package io.switchboard.users;

import io.switchboard.api.SessionLocation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Who is online where, across gates: user id → {@link SessionLocation}s, plus a way to send a {@link GateCommand}
 * to any gate. Implementations: {@link MemorySessionDirectory} (one JVM) and {@code RedisSessionDirectory}
 * (switchboard-redis). Every operation is atomic on the directory's side.
 */
public interface SessionDirectory extends AutoCloseable {

    /**
     * Records that {@code uid} is at {@code location}, applying {@code policy} to the sessions already there.
     * Completes with the locations the new one displaced ({@link LoginPolicy#KICK_OLD}; empty otherwise), or fails
     * with {@link io.switchboard.api.errors.SessionErrors#ALREADY_LOGGED_IN} ({@link LoginPolicy#REFUSE_NEW}).
     */
    CompletableFuture<List<SessionLocation>> bind(String uid, SessionLocation location, LoginPolicy policy);

    /**
     * Removes {@code uid} → {@code location} only if that exact entry is there: a late unbind from a session that
     * was displaced never erases the session that displaced it. Completes with whether it removed anything.
     */
    CompletableFuture<Boolean> unbind(String uid, SessionLocation location);

    /** Where {@code uid} is online; empty when nowhere. */
    CompletableFuture<List<SessionLocation>> lookup(String uid);

    /** Delivers {@code command} to the gate {@code gateId} (to its {@link #subscribe} listener). */
    CompletableFuture<Void> send(String gateId, GateCommand command);

    /** Receives the commands sent to {@code gateId}; close the result to stop. */
    CompletableFuture<AutoCloseable> subscribe(String gateId, Consumer<GateCommand> listener);

    /**
     * Removes every entry of gate {@code gateId} (its sessions are gone: it closed or died). Completes with how many
     * entries it removed.
     */
    CompletableFuture<Integer> purgeGate(String gateId);

    /**
     * Says gate {@code gateId} is alive for {@code ttl}; a gate calls it again well before that passes. Once a gate
     * has called it, its entries count as stale when it stops: {@link #purgeDeadGates()} removes them and binds
     * ignore them. A directory of one process (memory) has nothing to expire and does nothing. Completes with whether
     * the gate was alive already: {@code false} at its first call and after a lapse, when its entries may have been
     * purged.
     */
    default CompletableFuture<Boolean> gateAlive(String gateId, Duration ttl) {
        return CompletableFuture.completedFuture(true);
    }

    /**
     * Removes the entries of every gate whose {@link #gateAlive} lapsed; completes with how many gates. A gate that
     * calls {@link #gateAlive} again while it is being purged may be left partly purged: it binds its sessions again.
     */
    default CompletableFuture<Integer> purgeDeadGates() {
        return CompletableFuture.completedFuture(0);
    }

    @Override
    void close();
}
