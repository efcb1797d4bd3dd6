package io.switchboard.rooms;

import io.switchboard.api.errors.RoomErrors;
import io.switchboard.api.errors.RuntimeErrors;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.FanOut;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.api.Session;
import io.switchboard.api.TypedAttributes;
import io.switchboard.common.concurrent.SerialExecutor;
import io.switchboard.protocol.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

/**
 * A stateful group of users on a service node (DOMI's group on its zone). Everything a room does (its handlers, its
 * timers, membership changes, the completions of {@link #offload}) runs on the room's own serial executor: one
 * task at a time, in the order submitted, never two at once. Code running there needs no locks; code elsewhere
 * hands work in with {@link #execute} or {@link #submit}.
 *
 * <p>Membership ({@link #addUser}, {@link #removeUser}) changes only on the room's executor. {@link #members()},
 * {@link #broadcast} and {@link #push} work from any thread: readers get the snapshot of the last change.
 * A member whose session closes leaves by itself.
 */
public final class Room {
    private static final Logger log = LoggerFactory.getLogger(Room.class);
    private static final ThreadLocal<Room> CURRENT = new ThreadLocal<>();

    private final String id;
    private final RoomRegistry registry;
    private final SerialExecutor executor;
    private final Map<String, RoomHandler> handlers = new ConcurrentHashMap<>();
    private final TypedAttributes attributes = new TypedAttributes();
    /** User id → member, in join order; changed on the room's executor only. */
    private final Map<String, RoomMember> members = new LinkedHashMap<>();
    /** Session → member, for finding the sender of a message; room executor only. By identity: ids are per gate. */
    private final Map<Session, RoomMember> bySession = new IdentityHashMap<>();
    private final Set<RoomTimer> timers = ConcurrentHashMap.newKeySet();
    private volatile List<RoomMember> snapshot = List.of();
    private volatile boolean closed;

    Room(String id, RoomRegistry registry) {
        this.id = id;
        this.registry = registry;
        this.executor = new SerialExecutor(registry.executor());
    }

    public String id() {
        return id;
    }

    public RoomRegistry registry() {
        return registry;
    }

    /** The room's own state (a game board, a topic), by typed keys. Thread-safe; keep its use on the room's executor. */
    public TypedAttributes attributes() {
        return attributes;
    }

    /** Handles {@code route} in this room; overrides the registry's handler of the route. */
    public Room handle(String route, RoomHandler handler) {
        handlers.put(Objects.requireNonNull(route, "route"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** This room's handler of {@code route}, else the registry's; {@code null} when neither has one. */
    public RoomHandler handler(String route) {
        RoomHandler handler = handlers.get(route);
        return handler != null ? handler : registry.defaultHandler(route);
    }

    /** Whether the current thread is running one of this room's tasks. */
    public boolean inRoom() {
        return CURRENT.get() == this;
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- membership -------------------------------------------------------------------------------------------

    /**
     * Adds a user with the session it plays from (DOMI's {@code AddUser}). A user already in the room with another
     * session is replaced: the old membership leaves with reason "replaced". Room executor only.
     */
    public RoomMember addUser(String userId, Session session) {
        checkInRoom("addUser");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(session, "session");
        if (closed) {
            throw new SwitchboardException(RoomErrors.ROOM_CLOSED, "room " + id + " is closed");
        }
        RoomMember old = members.get(userId);
        if (old != null) {
            if (old.session() == session) {
                return old;
            }
            remove(old, "replaced");
        }
        RoomMember member = new RoomMember(userId, session);
        members.put(userId, member);
        bySession.put(session, member);
        publish();
        registry.sessionJoined(this, session);
        if (registry.announcesMembership()) {
            broadcast(FrameworkRoutes.ROOM_JOIN, Json.MAPPER.createObjectNode().put("room", id).put("uid", userId),
                    m -> m != member);
        }
        registry.listener().joined(this, member);
        return member;
    }

    /** Removes a user; false when it was not a member. Room executor only. */
    public boolean removeUser(String userId) {
        checkInRoom("removeUser");
        RoomMember member = members.get(userId);
        if (member == null) {
            return false;
        }
        remove(member, "left");
        return true;
    }

    /** Called on the room's executor when a member's session closed. */
    void sessionClosed(Session session, String reason) {
        RoomMember member = bySession.get(session);
        if (member != null) {
            remove(member, reason);
        }
    }

    private void remove(RoomMember member, String reason) {
        members.remove(member.userId(), member);
        bySession.remove(member.session(), member);
        publish();
        registry.sessionLeft(this, member.session());
        if (registry.announcesMembership()) {
            broadcast(FrameworkRoutes.ROOM_LEAVE, Json.MAPPER.createObjectNode().put("room", id)
                    .put("uid", member.userId()).put("reason", reason));
        }
        registry.listener().left(this, member, reason);
    }

    private void publish() {
        snapshot = List.copyOf(members.values());
    }

    /** The members in join order, as of the last change. Any thread. */
    public List<RoomMember> members() {
        return snapshot;
    }

    /** The member with this user id, or {@code null}. Any thread. */
    public RoomMember member(String userId) {
        for (RoomMember m : snapshot) {
            if (m.userId().equals(userId)) {
                return m;
            }
        }
        return null;
    }

    /** The member that joined with {@code session}, or {@code null}. Any thread. */
    public RoomMember memberOf(Session session) {
        if (inRoom()) {
            return bySession.get(session);
        }
        for (RoomMember m : snapshot) {
            if (m.session() == session) {
                return m;
            }
        }
        return null;
    }

    public int size() {
        return snapshot.size();
    }

    // ---- pushes -----------------------------------------------------------------------------------------------

    /**
     * Pushes to every member (DOMI's {@code BroadcastToGateway}). The body is serialized once; sessions are
     * grouped by their {@link FanOut}, so a gate gets one message for all of its members and encodes it once.
     */
    public void broadcast(String route, Object body) {
        broadcast(route, body, m -> true);
    }

    /** Pushes to the members {@code filter} accepts (say, all but the sender). */
    public void broadcast(String route, Object body, Predicate<RoomMember> filter) {
        List<RoomMember> members = snapshot;
        List<Session> sessions = new ArrayList<>(members.size());
        for (RoomMember m : members) {
            if (filter.test(m)) {
                sessions.add(m.session());
            }
        }
        if (!sessions.isEmpty()) {
            FanOut.pushAll(sessions, route, registry.serialize(route, body));
            registry.metrics().broadcast(sessions.size());
        }
    }

    /** Pushes to one member; fails with {@link RoomErrors#NOT_A_MEMBER} when the user is not in the room. */
    public CompletableFuture<Void> push(String userId, String route, Object body) {
        RoomMember m = member(userId);
        if (m == null) {
            return CompletableFuture.failedFuture(new SwitchboardException(RoomErrors.NOT_A_MEMBER,
                    userId + " is not in room " + id));
        }
        return m.session().push(route, registry.serialize(route, body));
    }

    // ---- execution --------------------------------------------------------------------------------------------

    /** Runs {@code task} on the room's executor; dropped (and logged) once the room is closed. */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        executor.execute(() -> run(task, "task"));
    }

    /**
     * Runs {@code task} on the room's executor and completes with its result; fails with
     * {@link RoomErrors#ROOM_CLOSED} when the room closed first.
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(submitted(task, result));
        return result;
    }

    /**
     * As {@link #submit}, but runs {@code task} on the calling thread at once when the room has nothing queued or
     * running (the room's one-at-a-time order holds: work queued meanwhile waits for it), which saves a hand-off to
     * the room's executor; otherwise it queues as {@link #submit} does. For short non-blocking work from a thread
     * that may run it, such as the I/O thread delivering a message ({@link RoomRegistry#routeNonBlocking}).
     */
    public <T> CompletableFuture<T> submitHere(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable job = submitted(task, result);
        if (!executor.tryRunHere(job)) {
            executor.execute(job);
        }
        return result;
    }

    /** {@code task} as the room's job: run as the room, completing {@code result}, failed once the room closed. */
    private <T> Runnable submitted(Callable<T> task, CompletableFuture<T> result) {
        Objects.requireNonNull(task, "task");
        return () -> run(() -> {
            if (closed) {
                result.completeExceptionally(new SwitchboardException(RoomErrors.ROOM_CLOSED,
                        "room " + id + " is closed"));
                return;
            }
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "submitted task", true);
    }

    /**
     * Runs blocking work (a database call, a file) on the registry's blocking pool and completes on the room's
     * executor, so the continuation may touch the room again. Stages chained without {@code Async} on the result
     * before it completes run there too. When the pool is full the result fails at once with a
     * {@link SwitchboardException} of {@link RuntimeErrors#OVERLOADED}, which a handler returning it answers with.
     */
    public <T> CompletableFuture<T> offload(Callable<T> blocking) {
        Objects.requireNonNull(blocking, "blocking");
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            registry.blockingExecutor().execute(() -> {
                T value;
                try {
                    value = blocking.call();
                } catch (Throwable t) {
                    executor.execute(() -> run(() -> result.completeExceptionally(t), "offload completion", true));
                    return;
                }
                executor.execute(() -> run(() -> result.complete(value), "offload completion", true));
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new SwitchboardException(RuntimeErrors.OVERLOADED,
                    "room " + id + ": the blocking pool is full"));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Runs {@code task} on the room's executor after {@code delay}; cancelled when the room closes. */
    public RoomTimer schedule(Duration delay, Runnable task) {
        return timer(delay, null, task);
    }

    /** Runs {@code task} on the room's executor every {@code period} until cancelled or the room closes. */
    public RoomTimer scheduleEvery(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return timer(period, period, task);
    }

    private RoomTimer timer(Duration delay, Duration period, Runnable task) {
        Objects.requireNonNull(task, "task");
        RepeatingTimer timer = new RepeatingTimer(delay, period, task);
        if (closed) {
            timer.cancel();
        } else {
            timers.add(timer);
            timer.arm(delay);
        }
        return timer;
    }

    /** A timer that re-arms itself when it fires (so it needs one scheduler entry at a time). */
    private final class RepeatingTimer implements RoomTimer {
        private final Duration period;
        private final Runnable task;
        private volatile RoomTimer scheduled;
        private volatile boolean cancelled;

        RepeatingTimer(Duration delay, Duration period, Runnable task) {
            this.period = period;
            this.task = task;
        }

        void arm(Duration delay) {
            scheduled = registry.scheduler().schedule(delay, this::fire);
            if (cancelled) {
                scheduled.cancel();
            }
        }

        private void fire() {
            if (cancelled) {
                return;
            }
            if (period != null) {
                arm(period);
            } else {
                timers.remove(this);
            }
            executor.execute(() -> run(() -> {
                if (!cancelled) {
                    task.run();
                }
            }, "timer"));
        }

        @Override
        public boolean cancel() {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            timers.remove(this);
            RoomTimer s = scheduled;
            return s == null || s.cancel() || period != null;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    private void run(Runnable task, String what) {
        run(task, what, false);
    }

    /** Runs one task as the room: logs what it throws, reports it when it runs past the slow threshold. */
    private void run(Runnable task, String what, boolean evenWhenClosed) {
        if (closed && !evenWhenClosed) {
            log.debug("room {} is closed; {} dropped", id, what);
            return;
        }
        Room outer = CURRENT.get();
        CURRENT.set(this);
        long start = registry.ticker().nanoTime();
        try {
            task.run();
        } catch (Throwable t) {
            registry.metrics().failed();
            log.error("room {}: {} failed; the room goes on", id, what, t);
        } finally {
            long took = registry.ticker().nanoTime() - start;
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
            registry.metrics().ran(took);
            if (took > registry.slowThreshold().toNanos()) {
                registry.metrics().slow();
                log.warn("room {}: {} ran {} ms, over the {} ms threshold; offload blocking work", id, what,
                        took / 1_000_000, registry.slowThreshold().toMillis());
            }
        }
    }

    private void checkInRoom(String what) {
        if (!inRoom()) {
            throw new IllegalStateException(what + " runs on room " + id + "'s executor: call it from a room handler,"
                    + " timer or execute(...)");
        }
    }

    // ---- closing ----------------------------------------------------------------------------------------------

    /**
     * Closes the room: timers stop, members get {@value FrameworkRoutes#ROOM_CLOSED} {@code {"room","reason"}},
     * the room leaves the registry, and later tasks are dropped (submits fail with {@link RoomErrors#ROOM_CLOSED}).
     * Called on the room's executor it closes at once, so no task queued behind it sees the room open.
     */
    public CompletableFuture<Void> close(String reason) {
        if (inRoom()) {
            closeNow(reason);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> run(() -> {
            closeNow(reason);
            done.complete(null);
        }, "close", true));
        return done;
    }

    private void closeNow(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        registry.removed(this);
        new ArrayList<>(timers).forEach(RoomTimer::cancel);
        List<RoomMember> left = snapshot;
        broadcast(FrameworkRoutes.ROOM_CLOSED, Json.MAPPER.createObjectNode().put("room", id).put("reason", reason));
        members.clear();
        bySession.clear();
        snapshot = List.of();
        for (RoomMember m : left) {
            registry.sessionLeft(this, m.session());
        }
        try {
            registry.listener().closed(this, reason);
        } catch (RuntimeException e) {
            log.error("room {}: close listener failed", id, e);
        }
    }

    /** Tasks queued or running on the room's executor. */
    public int pendingTasks() {
        return executor.pending();
    }

    @Override
    public String toString() {
        return "Room(" + id + ", " + snapshot.size() + " members" + (closed ? ", closed" : "") + ")";
    }

    static Set<String> noRooms() {
        return Collections.emptySet();
    }
}
