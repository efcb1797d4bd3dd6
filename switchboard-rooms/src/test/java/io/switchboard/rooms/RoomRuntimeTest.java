package io.switchboard.rooms;

import io.switchboard.api.errors.RoomErrors;
import io.switchboard.api.errors.RuntimeErrors;
import io.switchboard.api.HandlerContext;
import io.switchboard.api.HandlerTable;
import io.switchboard.api.Handlers;
import io.switchboard.api.Session;
import io.switchboard.api.TypedAttributes;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.gate.FrameworkRoutes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The room runtime without a network: serial execution, errors, slow tasks, timers, offload, membership, close. */
class RoomRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ManualRoomScheduler scheduler = new ManualRoomScheduler();
    private final ManualTicker ticker = new ManualTicker();
    private final RoomRegistry rooms = RoomRegistry.builder().executor(pool).scheduler(scheduler).ticker(ticker)
            .slowThreshold(Duration.ofMillis(50)).build();

    @AfterEach
    void tearDown() {
        rooms.close();
        pool.shutdownNow();
    }

    @Test
    void tasksRunOneAtATimeInArrivalOrderUnderConcurrentSenders() throws Exception {
        Room room = rooms.create("r");
        int senders = 8;
        int perSender = 2000;
        // Plain collections, touched only from room tasks: the room's guarantee is what keeps them consistent.
        List<long[]> seen = new ArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger outsideRoom = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            long sender = s;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < perSender; i++) {
                    long seq = i;
                    room.execute(() -> {
                        if (running.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        if (!room.inRoom()) {
                            outsideRoom.incrementAndGet();
                        }
                        seen.add(new long[] {sender, seq});
                        running.decrementAndGet();
                    });
                }
            });
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        int total = room.submit(seen::size).get(10, TimeUnit.SECONDS);
        assertThat(total).isEqualTo(senders * perSender);
        assertThat(overlaps).hasValue(0);
        assertThat(outsideRoom).hasValue(0);
        long[] next = new long[senders];
        for (long[] entry : seen) {
            assertThat(entry[1]).as("sender %d's order", entry[0]).isEqualTo(next[(int) entry[0]]++);
        }
    }

    @Test
    void submitHereRunsOnTheCallingThreadWhenTheRoomIsIdleAndOtherwiseWaitsItsTurn() throws Exception {
        Room room = rooms.create("here");
        Thread caller = Thread.currentThread();
        CompletableFuture<Thread> ran = room.submitHere(() -> {
            assertThat(room.inRoom()).isTrue();
            return Thread.currentThread();
        });
        assertThat(ran).isCompletedWithValue(caller);

        // While a task runs on the room, a task submitted here queues behind it and runs on the room's executor.
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new ArrayList<>();
        CompletableFuture<Object> busy = room.submit(() -> {
            order.add("first");
            return release.await(10, TimeUnit.SECONDS);
        });
        await().atMost(WAIT).until(() -> !order.isEmpty());
        CompletableFuture<Thread> queued = room.submitHere(() -> {
            order.add("second");
            return Thread.currentThread();
        });
        assertThat(queued).isNotDone();
        release.countDown();
        assertThat(queued.get(10, TimeUnit.SECONDS)).isNotSameAs(caller);
        assertThat(busy).isCompleted();
        assertThat(room.submit(() -> List.copyOf(order)).get(10, TimeUnit.SECONDS)).containsExactly("first", "second");
    }

    @Test
    void aNonBlockingRoomRouteIsMarkedSoAndRunsItsHandlerInTheRoomOnTheDeliveringThread() throws Exception {
        Room room = rooms.create("lobby");
        room.handle("game.lobby.say", message -> {
            assertThat(room.inRoom()).isTrue();
            return Thread.currentThread();
        });
        Handlers handlers = new Handlers();
        rooms.routeNonBlocking(handlers, "game.lobby.say", ctx -> "lobby", RoomErrors.ROOM_NOT_FOUND);
        rooms.route(handlers, "game.lobby.wait", ctx -> "lobby", RoomErrors.ROOM_NOT_FOUND);
        HandlerTable table = handlers.table();
        assertThat(table.lookup("game.lobby.say").nonBlocking()).isTrue();
        assertThat(table.lookup("game.lobby.wait").nonBlocking()).isFalse();

        Object answer = table.lookup("game.lobby.say").requestHandler().handle(new MessageTo("game.lobby.say"));
        assertThat(answer).isInstanceOfSatisfying(CompletableFuture.class,
                done -> assertThat(done).isCompletedWithValue(Thread.currentThread()));
    }

    /** The little of a message that a room route reads: its route. */
    private record MessageTo(String route) implements HandlerContext {
        @Override
        public Session session() {
            return null;
        }

        @Override
        public boolean isRequest() {
            return false;
        }

        @Override
        public long requestId() {
            return 0;
        }

        @Override
        public byte[] bodyBytes() {
            return new byte[0];
        }

        @Override
        public <T> T body(Class<T> type) {
            return null;
        }

        @Override
        public Object body(java.lang.reflect.Type type) {
            return null;
        }

        @Override
        public TypedAttributes attributes() {
            return new TypedAttributes();
        }
    }

    @Test
    void aThrowingTaskIsLoggedAndTheRoomGoesOn() throws Exception {
        Room room = rooms.create("r");
        room.execute(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        CompletableFuture<Object> failed = room.submit(() -> {
            throw new SwitchboardException(RoomErrors.NOT_A_MEMBER);
        });
        assertThat(room.submit(() -> "still here").get(10, TimeUnit.SECONDS)).isEqualTo("still here");
        assertThat(failed).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(SwitchboardException.class);
        assertThat(rooms.metrics().failedTasks()).isEqualTo(1);
    }

    @Test
    void aTaskPastTheThresholdIsCountedAsSlow() throws Exception {
        Room room = rooms.create("r");
        room.submit(() -> {
            ticker.advance(Duration.ofMillis(49));
            return null;
        }).get(10, TimeUnit.SECONDS);
        assertThat(rooms.metrics().slowTasks()).isZero();
        room.submit(() -> {
            ticker.advance(Duration.ofMillis(51));
            return null;
        }).get(10, TimeUnit.SECONDS);
        // Counted once the task has finished, just after its result is out.
        await().atMost(WAIT).until(() -> rooms.metrics().slowTasks() == 1);
    }

    @Test
    void timersRunOnTheRoomWhenTheInjectedClockSaysSo() throws Exception {
        Room room = rooms.create("r");
        List<String> fired = new ArrayList<>();
        AtomicInteger onRoom = new AtomicInteger();
        room.schedule(Duration.ofSeconds(5), () -> {
            fired.add("once");
            if (room.inRoom()) {
                onRoom.incrementAndGet();
            }
        });
        RoomTimer every = room.scheduleEvery(Duration.ofSeconds(1), () -> fired.add("tick"));
        scheduler.advance(Duration.ofMillis(4_999));
        assertThat(room.submit(() -> List.copyOf(fired)).get(10, TimeUnit.SECONDS))
                .containsExactly("tick", "tick", "tick", "tick");
        scheduler.advance(Duration.ofMillis(1));
        assertThat(room.submit(() -> List.copyOf(fired)).get(10, TimeUnit.SECONDS))
                .containsExactly("tick", "tick", "tick", "tick", "once", "tick");
        assertThat(onRoom).hasValue(1);
        assertThat(every.cancel()).isTrue();
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(room.submit(fired::size).get(10, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(scheduler.pending()).isZero();

        room.scheduleEvery(Duration.ofSeconds(1), () -> fired.add("late"));
        room.close("done").get(10, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(fired).hasSize(6);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void offloadPastTheBoundedBlockingPoolFailsAtOnceWithOverloaded() throws Exception {
        RoomRegistry bounded = RoomRegistry.builder().executor(pool).scheduler(scheduler).blockingPool(1, 1).build();
        CountDownLatch stalled = new CountDownLatch(1);
        try {
            Room room = bounded.create("r");
            CompletableFuture<String> running = room.offload(() -> {
                stalled.await();
                return "ran";
            });
            CompletableFuture<String> queued = room.offload(() -> "queued");
            CompletableFuture<String> refused = room.offload(() -> "refused");

            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).hasCauseInstanceOf(SwitchboardException.class)
                    .cause().satisfies(e -> assertThat(((SwitchboardException) e).errorCode())
                            .isEqualTo(RuntimeErrors.OVERLOADED));
            stalled.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("queued");
        } finally {
            stalled.countDown();
            bounded.close();
        }
    }

    @Test
    void offloadRunsElsewhereAndCompletesOnTheRoom() throws Exception {
        Room room = rooms.create("r");
        CompletableFuture<String> result = room.submit(() -> room.offload(() -> {
            assertThat(room.inRoom()).isFalse();
            return Thread.currentThread().getName();
        }).thenApply(blockingThread -> room.inRoom() + " after " + blockingThread)).thenCompose(f -> f);
        // thenApply was chained before the offload completed, so it ran where the offload completed: on the room.
        assertThat(result.get(10, TimeUnit.SECONDS)).startsWith("true after switchboard-room-blocking");
    }

    @Test
    void aJoinRecordedAfterItsSessionClosedLeavesAtOnce() throws Exception {
        Room first = rooms.create("first");
        Room second = rooms.create("second");
        RecordingSession ann = new RecordingSession();
        first.submit(() -> first.addUser("ann", ann)).get(10, TimeUnit.SECONDS);

        // The session closes while its join of a second room waits in that room's queue.
        ann.close("connection lost");
        await().atMost(WAIT).until(() -> first.size() == 0);
        second.submit(() -> second.addUser("ann", ann)).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> second.size() == 0);
        assertThat(rooms.roomsOf(ann)).isEmpty();
    }

    @Test
    void membershipChangesOnTheRoomAndClosedSessionsLeave() throws Exception {
        List<String> events = new ArrayList<>();
        RoomRegistry registry = RoomRegistry.builder().executor(pool).announceMembership(true)
                .listener(new RoomListener() {
                    @Override
                    public void joined(Room room, RoomMember member) {
                        events.add("joined " + member.userId());
                    }

                    @Override
                    public void left(Room room, RoomMember member, String reason) {
                        events.add("left " + member.userId() + ": " + reason);
                    }
                }).build();
        try {
            Room room = registry.create("r");
            RecordingSession ann = new RecordingSession();
            RecordingSession bob = new RecordingSession();
            assertThatThrownBy(() -> room.addUser("ann", ann)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("executor");
            room.submit(() -> room.addUser("ann", ann)).get(10, TimeUnit.SECONDS);
            room.submit(() -> room.addUser("bob", bob)).get(10, TimeUnit.SECONDS);
            assertThat(room.members()).extracting(RoomMember::userId).containsExactly("ann", "bob");
            assertThat(registry.roomsOf(bob)).containsExactly(room);
            assertThat(ann.pushes).containsExactly(new RecordingSession.Pushed(FrameworkRoutes.ROOM_JOIN,
                    "{\"room\":\"r\",\"uid\":\"bob\"}"));

            room.push("bob", "onHello", Map.of("x", 1)).get(10, TimeUnit.SECONDS);
            assertThat(bob.pushes).containsExactly(new RecordingSession.Pushed("onHello", "{\"x\":1}"));
            assertThat(room.push("carl", "onHello", Map.of())).failsWithin(WAIT).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(SwitchboardException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(RoomErrors.NOT_A_MEMBER));

            bob.close("connection lost");
            await().atMost(WAIT).until(() -> room.size() == 1);
            assertThat(registry.roomsOf(bob)).isEmpty();
            assertThat(room.submit(() -> List.copyOf(events)).get(10, TimeUnit.SECONDS))
                    .containsExactly("joined ann", "joined bob", "left bob: connection lost");
            assertThat(ann.pushes.get(1)).isEqualTo(new RecordingSession.Pushed(FrameworkRoutes.ROOM_LEAVE,
                    "{\"room\":\"r\",\"uid\":\"bob\",\"reason\":\"connection lost\"}"));

            room.close("game over").get(10, TimeUnit.SECONDS);
            assertThat(ann.pushes.get(2)).isEqualTo(new RecordingSession.Pushed(FrameworkRoutes.ROOM_CLOSED,
                    "{\"room\":\"r\",\"reason\":\"game over\"}"));
            assertThat(registry.get("r")).isEmpty();
            assertThat(room.submit(() -> "late")).failsWithin(WAIT).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(SwitchboardException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(RoomErrors.ROOM_CLOSED));
        } finally {
            registry.close();
        }
    }

    @Test
    void badIdsAndDuplicatesHaveCodes() {
        rooms.create("taken");
        assertThatThrownBy(() -> rooms.create("taken")).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RoomErrors.ROOM_EXISTS));
        assertThatThrownBy(() -> rooms.create("")).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RoomErrors.BAD_ROOM_ID));
        assertThatThrownBy(() -> rooms.getOrCreate("x".repeat(129))).isInstanceOfSatisfying(
                SwitchboardException.class, e -> assertThat(e.errorCode()).isEqualTo(RoomErrors.BAD_ROOM_ID));
        assertThat(rooms.getOrCreate("taken")).isSameAs(rooms.get("taken").orElseThrow());
    }
}
