package io.switchboard.users;

import io.switchboard.api.OnlineUsers;
import io.switchboard.api.SessionLocation;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.TypedKey;
import io.switchboard.api.spi.SessionBinding;
import io.switchboard.gate.ChannelMap;
import io.switchboard.gate.GateServer;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.KickReasons;
import io.switchboard.api.Session;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.protocol.Json;
import io.switchboard.serialization.JsonSerializer;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logged-in users of one gate, kept in a {@link SessionDirectory} shared by all gates (seed 002's login and kick).
 * {@link #login} binds a session to a user id and applies the {@link LoginPolicy} to the user's other sessions,
 * wherever they are: by default the older session is kicked with "logged in elsewhere". A session's entry is removed
 * when it closes, by compare-and-delete, so the late logout of a kicked session never removes its successor.
 * {@link #push} reaches a user on whichever gate holds it.
 *
 * <pre>{@code
 * UserSessions users = UserSessions.builder(directory).gate("gate-1").build();
 * server.start(); users.start(server.gate()).join();
 * handlers.request("app.user.login", ctx -> users.login(ctx.session(), uid).thenApply(v -> ok));
 * }</pre>
 */
public final class UserSessions implements OnlineUsers, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UserSessions.class);
    private static final int MAX_UID_LENGTH = 128;
    private static final TypedKey<Boolean> LOGOUT_HOOK = TypedKey.of("switchboard.users.logoutHook", Boolean.class);
    /** Set by the logout hook when it runs: a bind that completes after it must unbind itself. */
    private static final TypedKey<Boolean> CLOSED = TypedKey.of("switchboard.users.closed", Boolean.class);
    /** Unbinds that failed (the directory was away), kept to retry at the next {@link #keepAlive}; oldest dropped. */
    static final int MAX_RETRIED_UNBINDS = 10_000;

    private final SessionDirectory directory;
    private final String gateId;
    private final LoginPolicy policy;
    private final Serializer serializer;
    private volatile ChannelMap channels;
    private volatile AutoCloseable subscription;
    /** Whether a keep-alive has reached the directory: from then on, a lapse is noticed at the next one. */
    private volatile boolean announcedAlive;
    /** A lapse was seen and its sessions are not all bound again yet: the next keep-alive tries again. */
    private volatile boolean restorePending;
    /** Entries whose unbind failed, to retry; guarded by itself. */
    private final LinkedHashMap<SessionLocation, String> failedUnbinds = new LinkedHashMap<>();

    private UserSessions(Builder b) {
        this.directory = b.directory;
        // A fresh suffix per process: a restarted gate never inherits the stale entries of its previous life.
        this.gateId = b.gate + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.policy = b.policy;
        this.serializer = b.serializer;
    }

    public static Builder builder(SessionDirectory directory) {
        return new Builder(directory);
    }

    /** This gate's id in the directory: the configured name plus a per-process suffix. */
    public String gateId() {
        return gateId;
    }

    public LoginPolicy policy() {
        return policy;
    }

    /**
     * Makes {@code gate}'s sessions bind through these users ({@link Session#bind} applies single login) and starts
     * taking commands from other gates for them.
     */
    public CompletableFuture<UserSessions> start(GateServer gate) {
        gate.users(this);
        return start(gate.channels());
    }

    /** Starts taking commands from other gates for the sessions of {@code channels} (this gate's). */
    public CompletableFuture<UserSessions> start(ChannelMap channels) {
        this.channels = Objects.requireNonNull(channels, "channels");
        return directory.subscribe(gateId, this::onCommand).thenApply(s -> {
            subscription = s;
            return this;
        });
    }

    /** Where {@code session} is, in the directory's terms. */
    public SessionLocation locationOf(Session session) {
        return new SessionLocation(gateId, session.id());
    }

    /**
     * Binds {@code session} to {@code uid} in the directory and on the session ({@link Session#userId()}). Fails with
     * {@link SessionErrors#BAD_USER_ID}, {@link SessionErrors#ALREADY_LOGGED_IN} (policy {@link LoginPolicy#REFUSE_NEW})
     * or {@link SessionErrors#DIRECTORY_UNAVAILABLE}.
     */
    @Override
    public CompletableFuture<Void> login(Session session, String uid) {
        if (uid == null || uid.isEmpty() || uid.length() > MAX_UID_LENGTH) {
            return CompletableFuture.failedFuture(new SwitchboardException(SessionErrors.BAD_USER_ID,
                    "bad user id"));
        }
        String previous = session.userId();
        CompletableFuture<Boolean> loggedOut = previous != null && !previous.equals(uid)
                ? logout(session) : CompletableFuture.completedFuture(false);
        SessionLocation here = locationOf(session);
        return loggedOut.thenCompose(v -> directory.bind(uid, here, policy))
                .handle((displaced, error) -> {
                    if (error != null) {
                        throw failure(error);
                    }
                    SessionBinding.of(session).userIdBound(uid);
                    if (session.attributes().putIfAbsent(LOGOUT_HOOK, Boolean.TRUE) == null) {
                        session.onClose((s, reason) -> {
                            s.attributes().set(CLOSED, Boolean.TRUE);
                            logout(s);
                        });
                    } else if (session.attributes().get(CLOSED) != null) {
                        // The session closed while it switched users, its hook ran with no user bound, and this
                        // bind came after: nothing else would remove it. (The hook marks itself before it reads
                        // the user, this reads the mark after binding it: one of the two sees the other.)
                        logout(session);
                    }
                    for (SessionLocation old : displaced) {
                        kick(old, KickReasons.LOGGED_IN_ELSEWHERE);
                    }
                    return null;
                });
    }

    /** Unbinds the session's user id here and in the directory (only its own entry); false when it had none. */
    @Override
    public CompletableFuture<Boolean> logout(Session session) {
        String uid = session.userId();
        if (uid == null) {
            return CompletableFuture.completedFuture(false);
        }
        if (session.isActive()) {
            SessionBinding.of(session).userIdBound(null);
        }
        SessionLocation here = locationOf(session);
        return directory.unbind(uid, here).exceptionally(e -> {
            log.warn("cannot remove {} of {} from the session directory (retried at the next keep-alive): {}", here,
                    uid, e.toString());
            retryUnbind(uid, here);
            return false;
        });
    }

    private void retryUnbind(String uid, SessionLocation at) {
        synchronized (failedUnbinds) {
            failedUnbinds.put(at, uid);
            if (failedUnbinds.size() > MAX_RETRIED_UNBINDS) {
                // A gate's own entries also go at its purge or once its keep-alive lapses; this is only sooner.
                failedUnbinds.remove(failedUnbinds.keySet().iterator().next());
            }
        }
    }

    /** Unbinds that failed and wait for a retry. */
    public int unbindsToRetry() {
        synchronized (failedUnbinds) {
            return failedUnbinds.size();
        }
    }

    /** Retries the unbinds that failed; each that fails again waits for the next call. */
    private CompletableFuture<Void> retryFailedUnbinds() {
        Map<SessionLocation, String> retries;
        synchronized (failedUnbinds) {
            retries = new LinkedHashMap<>(failedUnbinds);
            failedUnbinds.clear();
        }
        List<CompletableFuture<Boolean>> done = new ArrayList<>();
        retries.forEach((at, uid) -> done.add(directory.unbind(uid, at).exceptionally(e -> {
            retryUnbind(uid, at);
            return false;
        })));
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /** Where {@code uid} is online. */
    @Override
    public CompletableFuture<List<SessionLocation>> lookup(String uid) {
        return directoryCall(directory.lookup(uid));
    }

    /**
     * Pushes to every session of {@code uid}, on any gate. Completes with how many sessions it was sent to; fails with
     * {@link SessionErrors#USER_OFFLINE} when there are none.
     */
    @Override
    public CompletableFuture<Integer> push(String uid, String route, Object body) {
        byte[] bytes = serializer.encodeBody(route, body);
        return directoryCall(directory.lookup(uid).thenCompose(locations -> {
            if (locations.isEmpty()) {
                throw new SwitchboardException(SessionErrors.USER_OFFLINE, uid + " is not online");
            }
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (SessionLocation at : locations) {
                sent.add(send(at, GateCommand.push(at.sessionId(), route, bytes)));
            }
            return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenApply(v -> locations.size());
        }));
    }

    /** Kicks every session of {@code uid}; completes with how many. */
    @Override
    public CompletableFuture<Integer> kick(String uid, String reason) {
        return directoryCall(directory.lookup(uid).thenApply(locations -> {
            locations.forEach(at -> kick(at, reason));
            return locations.size();
        }));
    }

    private void kick(SessionLocation at, String reason) {
        send(at, GateCommand.kick(at.sessionId(), reason)).exceptionally(e -> {
            log.warn("cannot kick {}: {}", at, e.toString());
            return null;
        });
    }

    /** Commands for this gate's own sessions skip the directory. */
    private CompletableFuture<Void> send(SessionLocation at, GateCommand command) {
        if (at.gateId().equals(gateId)) {
            onCommand(command);
            return CompletableFuture.completedFuture(null);
        }
        return directory.send(at.gateId(), command);
    }

    private void onCommand(GateCommand command) {
        ChannelMap map = channels;
        Session session = map == null ? null : map.get(command.sessionId());
        if (session == null) {
            log.debug("{} for session {}, which is gone", command.type(), command.sessionId());
            return;
        }
        switch (command.type()) {
            case PUSH -> session.push(command.route(), command.body());
            case KICK -> {
                session.push(FrameworkRoutes.KICK, Json.MAPPER.createObjectNode().put("reason", command.reason())
                        .toString().getBytes(StandardCharsets.UTF_8));
                session.kick(command.reason());
            }
        }
    }

    /**
     * The directory's answer, its failures told as {@link SessionErrors#DIRECTORY_UNAVAILABLE} (a Redis that is down or
     * frozen is an error code for the caller, not a handler failure with a trace).
     */
    private static <T> CompletableFuture<T> directoryCall(CompletableFuture<T> call) {
        return call.handle((value, error) -> {
            if (error != null) {
                throw failure(error);
            }
            return value;
        });
    }

    private static RuntimeException failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SwitchboardException e) {
            return e;
        }
        return new SwitchboardException(SessionErrors.DIRECTORY_UNAVAILABLE, "the session directory failed", cause);
    }

    /**
     * Tells the directory this gate is alive for {@code ttl}, then purges the entries of gates that stopped doing so
     * (crashed, or cut off): call it periodically, well within {@code ttl}. When this gate's own liveness had lapsed
     * (it was cut off from the directory for longer than {@code ttl}), the other gates may have purged its entries:
     * they are bound again for its logged-in sessions, displacing nobody. Under a single-login policy a user who
     * logged in elsewhere meanwhile keeps that newer session, and this gate's session of the user is closed as
     * {@link KickReasons#LOGGED_IN_ELSEWHERE}; under {@link LoginPolicy#ALLOW_MULTIPLE} both stay. A directory that
     * fails while binding closes nothing: the returned future fails, and the next call binds them again.
     */
    public CompletableFuture<Integer> keepAlive(Duration ttl) {
        return directory.gateAlive(gateId, ttl).thenCompose(wasAlive -> {
            if (!wasAlive && announcedAlive) {
                restorePending = true;
            }
            announcedAlive = true;
            if (!restorePending) {
                return CompletableFuture.completedFuture(null);
            }
            return restoreEntries().thenRun(() -> restorePending = false);
        }).thenCompose(v -> retryFailedUnbinds()).thenCompose(v -> directory.purgeDeadGates());
    }

    /** Binds this gate's logged-in sessions again, after its entries may have been purged. */
    private CompletableFuture<Void> restoreEntries() {
        ChannelMap map = channels;
        if (map == null) {
            return CompletableFuture.completedFuture(null);
        }
        // Single login holds across the cut: where the user logged in elsewhere meanwhile, the newer session stays.
        LoginPolicy restore = policy == LoginPolicy.ALLOW_MULTIPLE ? policy : LoginPolicy.REFUSE_NEW;
        AtomicInteger closed = new AtomicInteger();
        List<CompletableFuture<Void>> bound = new ArrayList<>();
        for (Session session : map.all()) {
            String uid = session.userId();
            if (uid != null && session.isActive()) {
                SessionLocation here = locationOf(session);
                bound.add(directory.bind(uid, here, restore).handle((displaced, error) -> {
                    if (error == null) {
                        return null;
                    }
                    // Only a refusal closes the session; a directory that failed says nothing about the user.
                    if (failure(error) instanceof SwitchboardException e
                            && SessionErrors.ALREADY_LOGGED_IN.equals(e.errorCode())) {
                        closed.incrementAndGet();
                        kick(here, KickReasons.LOGGED_IN_ELSEWHERE);
                        return null;
                    }
                    throw error instanceof CompletionException c ? c : new CompletionException(error);
                }));
            }
        }
        if (bound.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        log.warn("gate {} was cut off from the session directory past its keep-alive: binding its {} logged-in "
                + "sessions again", gateId, bound.size());
        return CompletableFuture.allOf(bound.toArray(CompletableFuture[]::new)).thenRun(() -> {
            if (closed.get() > 0) {
                log.warn("gate {} closed {} sessions whose users logged in elsewhere while it was cut off", gateId,
                        closed.get());
            }
        });
    }

    /**
     * Stops taking commands and removes what is left of this gate's entries (call it once its sessions are closed);
     * the directory stays open (its owner closes it).
     */
    @Override
    public void close() {
        try {
            directory.purgeGate(gateId).get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("cannot remove the entries of gate {} from the session directory: {}", gateId, e.toString());
        }
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                log.debug("unsubscribing gate {} failed", gateId, e);
            }
        }
    }

    /** Builds {@link UserSessions}. */
    public static final class Builder {
        private final SessionDirectory directory;
        private String gate = "gate";
        private LoginPolicy policy = LoginPolicy.KICK_OLD;
        private Serializer serializer = JsonSerializer.INSTANCE;

        private Builder(SessionDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The gate's name (its registry id, say); a per-process suffix is added. */
        public Builder gate(String gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        public Builder policy(LoginPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Serializes push bodies that are not {@code byte[]}; JSON by default. */
        public Builder serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        public UserSessions build() {
            return new UserSessions(this);
        }
    }
}
