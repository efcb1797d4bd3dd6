package io.switchboard.rooms;

import io.switchboard.api.errors.RoomErrors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.common.time.Ticker;
import io.switchboard.api.Session;
import io.switchboard.api.TypedKey;
import io.switchboard.api.Handlers;
import io.switchboard.api.RequestHandler;
import io.switchboard.serialization.JsonSerializer;
import io.switchboard.serialization.Serializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The rooms of one service node (DOMI's zone): creates, finds and closes {@link Room}s, gives them their executors,
 * timers and meters, and routes client messages into them.
 *
 * <pre>{@code
 * RoomRegistry rooms = RoomRegistry.builder().build();
 * rooms.route(handlers, "game.table.move", RoomLocator.sessionRoom());
 * Room table = rooms.create("table-7");
 * table.handle("game.table.move", msg -> { ...; msg.room().broadcast("onMove", move); return ok; });
 * }</pre>
 */
public final class RoomRegistry implements AutoCloseable {
    /** The ids of the rooms a session is in, of every registry. */
    @SuppressWarnings("unchecked")
    static final TypedKey<Set<String>> ROOMS =
            TypedKey.of("switchboard.rooms", (Class<Set<String>>) (Class<?>) Set.class);
    /** The longest room id, in characters: ids are client input, kept in maps and sent around the cluster. */
    public static final int MAX_ID_LENGTH = 128;

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, RoomHandler> defaultHandlers = new ConcurrentHashMap<>();
    private final Executor executor;
    private final Executor blocking;
    private final RoomScheduler scheduler;
    private final Ticker ticker;
    private final Duration slowThreshold;
    private final Serializer serializer;
    private final RoomListener listener;
    private final boolean announceMembership;
    private final RoomMetrics metrics;
    private final List<AutoCloseable> owned = new ArrayList<>();
    // One close hook per session and registry, however many rooms the session joins.
    /** Set once a session has this registry's close hook; one key per registry. */
    private final TypedKey<CloseHook> closeHook = TypedKey.of("switchboard.rooms.closeHook", CloseHook.class);

    private RoomRegistry(Builder b) {
        if (b.executor == null) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                    new DefaultThreadFactory("switchboard-room", true));
            owned.add(pool::shutdown);
            this.executor = pool;
        } else {
            this.executor = b.executor;
        }
        if (b.blocking == null) {
            // Bounded both ways: a stalled dependency holds at most blockingThreads threads and blockingQueue tasks,
            // and offload past that fails at once with OVERLOADED instead of growing threads without end.
            ThreadPoolExecutor pool = new ThreadPoolExecutor(b.blockingThreads, b.blockingThreads, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(b.blockingQueue),
                    new DefaultThreadFactory("switchboard-room-blocking", true), new ThreadPoolExecutor.AbortPolicy());
            pool.allowCoreThreadTimeOut(true);
            owned.add(pool::shutdown);
            this.blocking = pool;
        } else {
            this.blocking = b.blocking;
        }
        if (b.scheduler == null) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                    new DefaultThreadFactory("switchboard-room-timer", true));
            owned.add(timer::shutdownNow);
            this.scheduler = RoomScheduler.of(timer);
        } else {
            this.scheduler = b.scheduler;
        }
        this.ticker = b.ticker;
        this.slowThreshold = b.slowThreshold;
        this.serializer = b.serializer;
        this.listener = b.listener;
        this.announceMembership = b.announceMembership;
        this.metrics = new RoomMetrics(b.meters, rooms::size);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- rooms ------------------------------------------------------------------------------------------------

    /** Creates a room; fails with {@link RoomErrors#ROOM_EXISTS} when the id is taken. */
    public Room create(String id) {
        checkId(id);
        Room room = new Room(id, this);
        if (rooms.putIfAbsent(id, room) != null) {
            throw new SwitchboardException(RoomErrors.ROOM_EXISTS, "room " + id + " exists already");
        }
        return room;
    }

    /** The room with this id, created when there is none. */
    public Room getOrCreate(String id) {
        checkId(id);
        return rooms.computeIfAbsent(id, i -> new Room(i, this));
    }

    public Optional<Room> get(String id) {
        return Optional.ofNullable(id == null ? null : rooms.get(id));
    }

    /** Closes the room with this id (see {@link Room#close}); false when there is none. */
    public boolean close(String id, String reason) {
        Room room = rooms.get(id);
        if (room == null) {
            return false;
        }
        room.close(reason);
        return true;
    }

    /** The open rooms. */
    public Collection<Room> rooms() {
        return List.copyOf(rooms.values());
    }

    public int size() {
        return rooms.size();
    }

    /** The rooms {@code session} is in on this registry. */
    public List<Room> roomsOf(Session session) {
        List<Room> result = new ArrayList<>();
        for (String id : roomIdsOf(session)) {
            Room room = rooms.get(id);
            if (room != null) {
                result.add(room);
            }
        }
        return result;
    }

    static Set<String> roomIdsOf(Session session) {
        Set<String> ids = session.attributes().get(ROOMS);
        return ids == null ? Room.noRooms() : Set.copyOf(ids);
    }

    private static void checkId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new SwitchboardException(RoomErrors.BAD_ROOM_ID, "bad room id '" + id + "'");
        }
    }

    // ---- handlers ---------------------------------------------------------------------------------------------

    /** Handles {@code route} in every room that has no handler of its own for it. */
    public RoomRegistry handle(String route, RoomHandler handler) {
        defaultHandlers.put(Objects.requireNonNull(route, "route"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    RoomHandler defaultHandler(String route) {
        return defaultHandlers.get(route);
    }

    /**
     * Registers {@code route} on {@code handlers} so that its messages run in a room: {@code locator} names the
     * room, and the room's handler of the route (its own, else the registry's) answers on the room's executor.
     * Errors: {@link RoomErrors#ROOM_NOT_FOUND} when the locator names no open room, {@link RoomErrors#NO_ROOM_HANDLER}
     * when the room has no handler, {@link RoomErrors#ROOM_CLOSED} when it closed on the way.
     */
    public RoomRegistry route(Handlers handlers, String route, RoomLocator locator) {
        return route(handlers, route, locator, RoomErrors.ROOM_NOT_FOUND);
    }

    /** {@link #route(Handlers, String, RoomLocator)}, answering {@code noRoom} when the locator finds no room. */
    public RoomRegistry route(Handlers handlers, String route, RoomLocator locator, ErrorCode noRoom) {
        handlers.request(route, roomRoute(locator, noRoom, false));
        return this;
    }

    /**
     * As {@link #route(Handlers, String, RoomLocator, ErrorCode)}, for a route whose room handlers never block (they
     * read the room and push or broadcast, as a chat line does): the route is non-blocking, and its handler runs in
     * the room on the thread that delivered the message (a gate's I/O thread, a node's link thread) when the room
     * has nothing queued or running ({@link Room#submitHere}), else on the room's executor behind what is queued.
     * A message then reaches its room without a hand-off to the workers and another to the room's executor.
     */
    public RoomRegistry routeNonBlocking(Handlers handlers, String route, RoomLocator locator, ErrorCode noRoom) {
        handlers.requestNonBlocking(route, roomRoute(locator, noRoom, true));
        return this;
    }

    private RequestHandler roomRoute(RoomLocator locator, ErrorCode noRoom, boolean here) {
        Objects.requireNonNull(locator, "locator");
        Objects.requireNonNull(noRoom, "noRoom");
        return ctx -> {
            String id = locator.roomOf(ctx);
            Room room = id == null ? null : rooms.get(id);
            if (room == null) {
                throw new SwitchboardException(noRoom, id == null
                        ? "the message names no room (join one first)" : "no room " + id);
            }
            Callable<Object> task = () -> {
                RoomHandler handler = room.handler(ctx.route());
                if (handler == null) {
                    throw new SwitchboardException(RoomErrors.NO_ROOM_HANDLER, "room " + room.id()
                            + " has no handler for " + ctx.route());
                }
                return handler.handle(new RoomMessage(room, ctx));
            };
            return (here ? room.submitHere(task) : room.submit(task)).thenCompose(value ->
                    value instanceof CompletionStage<?> stage
                            ? stage.thenApply(v -> (Object) v) : CompletableFuture.completedFuture(value));
        };
    }

    // ---- what rooms share -------------------------------------------------------------------------------------

    /** A session's one close hook in this registry, and the reason it closed with once the hook has run. */
    private static final class CloseHook {
        volatile String closedWith;
    }

    /**
     * Records membership on the session and, once per session, leaves its rooms when it closes. A join recorded after
     * the hook ran (the session closed while its join waited in the room's queue) leaves at once: the hook reads the
     * session's rooms after marking itself run, and a join checks the mark after adding its room, so one of the two
     * always sees the other.
     */
    void sessionJoined(Room room, Session session) {
        Set<String> ids = session.attributes().computeIfAbsent(ROOMS, ConcurrentHashMap::newKeySet);
        ids.add(room.id());
        CloseHook hook = session.attributes().get(closeHook);
        if (hook == null) {
            CloseHook mine = new CloseHook();
            hook = session.attributes().putIfAbsent(closeHook, mine);
            if (hook == null) {
                session.onClose((s, reason) -> {
                    mine.closedWith = reason;
                    for (Room r : roomsOf(s)) {
                        r.execute(() -> r.sessionClosed(s, reason));
                    }
                });
                hook = mine;
            }
        }
        String closedWith = hook.closedWith;
        if (closedWith != null) {
            room.execute(() -> room.sessionClosed(session, closedWith));
        }
        if (session instanceof RoomPresence presence) {
            presence.roomJoined(room.id());
        }
    }

    void sessionLeft(Room room, Session session) {
        Set<String> ids = session.attributes().get(ROOMS);
        if (ids != null) {
            ids.remove(room.id());
        }
        if (session instanceof RoomPresence presence) {
            presence.roomLeft(room.id());
        }
    }

    void removed(Room room) {
        rooms.remove(room.id(), room);
    }

    byte[] serialize(String route, Object body) {
        return serializer.encodeBody(route, body);
    }

    Executor executor() {
        return executor;
    }

    Executor blockingExecutor() {
        return blocking;
    }

    RoomScheduler scheduler() {
        return scheduler;
    }

    Ticker ticker() {
        return ticker;
    }

    Duration slowThreshold() {
        return slowThreshold;
    }

    RoomListener listener() {
        return listener;
    }

    boolean announcesMembership() {
        return announceMembership;
    }

    public RoomMetrics metrics() {
        return metrics;
    }

    /** Closes every room with reason "shutdown" and stops the threads the registry made itself. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Room room : rooms()) {
            closing.add(room.close("shutdown"));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing is best effort at shutdown
        }
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing more to do
            }
        }
    }

    /** Builds a {@link RoomRegistry}. */
    public static final class Builder {
        static final int DEFAULT_BLOCKING_THREADS = 16;
        static final int DEFAULT_BLOCKING_QUEUE = 1024;
        private Executor executor;
        private Executor blocking;
        private int blockingThreads = DEFAULT_BLOCKING_THREADS;
        private int blockingQueue = DEFAULT_BLOCKING_QUEUE;
        private RoomScheduler scheduler;
        private Ticker ticker = Ticker.system();
        private Duration slowThreshold = Duration.ofMillis(100);
        private Serializer serializer = JsonSerializer.INSTANCE;
        private RoomListener listener = new RoomListener() { };
        private boolean announceMembership;
        private MeterRegistry meters = new SimpleMeterRegistry();

        private Builder() {
        }

        /** The pool room tasks run on (each room serially); default one thread per core, at least two. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The pool {@link Room#offload} runs blocking work on; default {@link #blockingPool} bounds. One that refuses
         * (throws {@link java.util.concurrent.RejectedExecutionException}) fails the offload with
         * {@code OVERLOADED}.
         */
        public Builder blockingExecutor(Executor blocking) {
            this.blocking = Objects.requireNonNull(blocking, "blocking");
            return this;
        }

        /**
         * The default blocking pool's threads and queue: past both, {@link Room#offload} fails at once with
         * {@code OVERLOADED}. Default {@value #DEFAULT_BLOCKING_THREADS} threads, {@value #DEFAULT_BLOCKING_QUEUE}
         * queued tasks.
         */
        public Builder blockingPool(int threads, int queue) {
            if (threads < 1 || queue < 1) {
                throw new IllegalArgumentException("blocking threads and queue must be positive");
            }
            this.blockingThreads = threads;
            this.blockingQueue = queue;
            return this;
        }

        /** Where room timers get their time; default a real-time scheduler thread. */
        public Builder scheduler(RoomScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Measures how long room tasks run. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** A task running longer is logged and counted as slow; default 100 ms. */
        public Builder slowThreshold(Duration slowThreshold) {
            this.slowThreshold = Objects.requireNonNull(slowThreshold, "slowThreshold");
            return this;
        }

        /** Serializes push bodies that are not {@code byte[]}; JSON by default. */
        public Builder serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        public Builder listener(RoomListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Push {@code onRoomJoin} / {@code onRoomLeave} to the other members on every change; off by default. */
        public Builder announceMembership(boolean announce) {
            this.announceMembership = announce;
            return this;
        }

        public Builder meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        public RoomRegistry build() {
            return new RoomRegistry(this);
        }
    }
}
