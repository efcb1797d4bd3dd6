package io.switchboard.bench.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Broadcast: {@code rooms} rooms of {@code members} members each; member 0 of every room sends
 * {@code demo.room.say} at {@code rate} per second (or, at rate 0, keeps {@code inFlight} messages on their
 * way to itself), and every member counts the {@code onChat} pushes and their latency from the send time the
 * message carries in its text.
 */
final class BroadcastLoad implements Load, LoadMeter {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DRAIN = Duration.ofSeconds(15);

    private final BenchOptions options;
    private final long origin = System.nanoTime();
    private final LatencyStats latency = new LatencyStats();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder joinPushes = new LongAdder();
    private final LongAdder joined = new LongAdder();
    private final LongAdder joinErrors = new LongAdder();
    private final LongAdder sentMessages = new LongAdder();
    private final LongAdder badBodies = new LongAdder();
    private final LongAdder otherPushes = new LongAdder();
    private volatile boolean sending;

    BroadcastLoad(BenchOptions options) {
        this.options = options;
    }

    @Override
    public long completed() {
        return deliveries.sum();
    }

    @Override
    public long failed() {
        return joinErrors.sum() + badBodies.sum() + otherPushes.sum();
    }

    @Override
    public LatencyStats latency() {
        return latency;
    }

    @Override
    public BenchResult run(RunningTarget target, PrintStream out) throws Exception {
        return run(target, out, flatOut -> 0).get(0);
    }

    /**
     * Measures at {@code options.rate()}; then, when {@code thenRate} gives a positive rate per room for the
     * first result, measures again paced at that rate over the same joined members (joining a room of M costs
     * M² join pushes, which at 10,000 members is most of a run).
     */
    List<BenchResult> run(RunningTarget target, PrintStream out, ToDoubleFunction<BenchResult> thenRate)
            throws Exception {
        String name = "broadcast";
        int rooms = options.rooms();
        int members = options.members();
        int total = rooms * members;
        String fdProblem = SourceAddresses.checkFileLimit(total, target.sharesProcess());
        if (fdProblem != null) {
            return List.of(BenchResult.builder(name, target.describe()).problem(fdProblem).build());
        }
        List<BenchResult> results = new ArrayList<>();
        try (LoadClient client = new LoadClient(target.address(), target.websocket(), options.clientThreads())) {
            Connector connector = new Connector(client, SourceAddresses.forConnections(total, target.address(),
                    options.sourceAddresses()), options.connectConcurrency());
            Progress.Rate meter = new Progress.Rate();
            List<BenchConnection> connections;
            try (Progress progress = new Progress(out, options.progressInterval(), name, () -> String.format(
                    Locale.ROOT, "conns %d/%d  joined %d  deliveries %,.0f/s  %s", connector.connected.get(), total,
                    joined.sum(), meter.perSecond(deliveries.sum()), Progress.percentiles(latency.total())))) {
                connections = connector.open(total, c -> c.pushListener(this::onPush));
                if (connections.size() < total) {
                    Connector.closeAll(connections);
                    return List.of(BenchResult.builder(name, target.describe())
                            .problem(connector.failureSummary()).build());
                }
                List<String> joinProblems = new ArrayList<>();
                join(connections, members);
                if (!Load.await(() -> joined.sum() + joinErrors.sum() >= total, JOIN_TIMEOUT)) {
                    joinProblems.add("only " + joined.sum() + " of " + total + " joins answered");
                }
                if (joinErrors.sum() > 0) {
                    joinProblems.add(joinErrors.sum() + " joins failed");
                }
                awaitQuiet(joinPushes);

                BenchResult first = measure(BenchResult.builder(name, target.describe()), target, connections,
                        options.rate(), joinProblems);
                results.add(first);
                double rate = thenRate.applyAsDouble(first);
                if (rate > 0) {
                    results.add(measure(BenchResult.builder(name + " at half rate", target.describe()), target,
                            connections, rate, List.of()));
                }
            }
            Connector.closeAll(connections);
        }
        return results;
    }

    /** One measured phase over joined members: paced at {@code rate} per room, or flat out at 0. */
    private BenchResult measure(BenchResult.Builder result, RunningTarget target, List<BenchConnection> connections,
                                double rate, List<String> problems) throws InterruptedException {
        problems.forEach(result::problem);
        int rooms = options.rooms();
        int members = options.members();
        long sentBefore = sentMessages.sum();
        long deliveredBefore = deliveries.sum();
        List<Sender> senders = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            BenchConnection c = connections.get(r * members);
            Sender sender = new Sender(c, "m" + (r * members), rate);
            c.attach(sender);
            senders.add(sender);
        }
        sending = true;
        senders.forEach(s -> s.connection.eventLoop().execute(s::start));

        long measured;
        long windowNanos;
        ServerCpu cpu = null;
        Hiccups hiccups = null;
        int limit = options.messagesPerSender();
        if (limit > 0) {
            long start = System.nanoTime();
            long expected = deliveredBefore + (long) limit * rooms * members;
            Duration timeout = options.duration().plus(Duration.ofSeconds(30));
            if (!Load.await(() -> deliveries.sum() >= expected, timeout)) {
                result.problem("only " + (deliveries.sum() - deliveredBefore) + " of " + (expected - deliveredBefore)
                        + " deliveries within " + timeout);
            }
            windowNanos = System.nanoTime() - start;
            measured = deliveries.sum() - deliveredBefore;
        } else {
            Load.sleep(options.warmup());
            latency.reset();
            long d0 = deliveries.sum();
            cpu = ServerCpu.start(target);
            hiccups = Hiccups.start();
            long w0 = System.nanoTime();
            Load.sleep(options.duration());
            measured = deliveries.sum() - d0;
            windowNanos = System.nanoTime() - w0;
            if (cpu != null) {
                cpu.stop();
            }
            hiccups.stop();
        }
        Histogram h = latency.total();
        sending = false;
        // Sends stop on the senders' event loops; wait for the count to settle before judging losses.
        Load.await(() -> senders.stream().allMatch(s -> s.stopped), Duration.ofSeconds(5));
        long expected = deliveredBefore + (sentMessages.sum() - sentBefore) * members;
        boolean drained = Load.await(() -> deliveries.sum() >= expected, DRAIN);
        long dropped = connections.stream().filter(c -> !c.isActive()).count();

        result.figure("rooms", (long) rooms).figure("members_per_room", (long) members)
                .figure("connections", (long) connections.size())
                .figure(rate > 0 ? "rate_per_room_per_s" : "in_flight_per_room",
                        rate > 0 ? Math.round(rate * 10) / 10.0 : (double) options.inFlight())
                .figure("push_body_bytes", (long) options.bodySize())
                .figure("messages_sent", sentMessages.sum() - sentBefore)
                .figure("deliveries", measured)
                .figure("seconds", Math.round(windowNanos / 1e8) / 10.0)
                .figure("deliveries_per_s", Math.round(measured / (windowNanos / 1e9) * 10) / 10.0)
                .latency("", h);
        if (cpu != null) {
            cpu.addTo(result, measured, "delivery");
        }
        if (hiccups != null) {
            hiccups.addTo(result);
        }
        if (!drained) {
            result.problem((expected - deliveries.sum()) + " of " + (expected - deliveredBefore)
                    + " deliveries never arrived");
        }
        if (dropped > 0) {
            result.problem(dropped + " members were disconnected during the run");
        }
        if (otherPushes.sum() > 0) {
            result.problem(otherPushes.sum() + " pushes other than onChat and onJoin arrived");
        }
        if (badBodies.sum() > 0) {
            result.problem(badBodies.sum() + " onChat pushes without a send time in their text");
        }
        result.note("latency: from the message's due send time to its arrival at each member");
        return result.build();
    }

    private void join(List<BenchConnection> connections, int members) {
        for (int i = 0; i < connections.size(); i++) {
            BenchConnection c = connections.get(i);
            // Quiet: loud joins would cost the room's M members M²/2 pushes before anything is measured.
            String body = "{\"room\":\"bench-r" + (i / members) + "\",\"name\":\"m" + i + "\",\"quiet\":true}";
            ByteBuf buf = Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
            c.eventLoop().execute(() -> {
                c.request(DemoRoutes.ROOM_JOIN, buf, System.nanoTime(), (conn, response, error, start) -> {
                    if (error) {
                        joinErrors.increment();
                    } else {
                        joined.increment();
                    }
                });
                c.flush();
            });
        }
    }

    /** Waits until a counter has stopped moving for half a second: the join notifications are done. */
    private static void awaitQuiet(LongAdder counter) throws InterruptedException {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = counter.sum();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(500);
        }
    }

    private void onPush(BenchConnection c, String route, ByteBuf body) {
        if (DemoRoutes.ON_CHAT.equals(route)) {
            long stamp = Bodies.stamp(body);
            if (stamp < 0) {
                badBodies.increment();
                return;
            }
            latency.record(System.nanoTime() - origin - stamp);
            deliveries.increment();
            Sender sender = c.attachment();
            if (sender != null) {
                sender.ownDelivery();
            }
        } else if (DemoRoutes.ON_JOIN.equals(route)) {
            joinPushes.increment();
        } else {
            otherPushes.increment();
        }
    }

    /** Member 0 of a room: sends paced, or keeps a window of messages on their way back to itself. */
    private final class Sender implements Runnable {
        final BenchConnection connection;
        private final int textLength;
        private final ByteBuf body;
        private final double rate;
        private final Pacer pacer;
        private long sentHere;
        private long ownDelivered;
        private ScheduledFuture<?> tick;
        volatile boolean stopped;

        Sender(BenchConnection connection, String name, double rate) {
            this.connection = connection;
            this.textLength = Bodies.chatTextLength(name, options.bodySize());
            this.body = Unpooled.wrappedBuffer(new byte[textLength + "{\"text\":\"\"}".length()]);
            this.rate = rate;
            this.pacer = rate > 0 ? new Pacer(System.nanoTime(), rate) : null;
        }

        void start() {
            if (pacer != null) {
                tick = connection.eventLoop().scheduleAtFixedRate(this, 0, Pacer.tickNanos(rate),
                        TimeUnit.NANOSECONDS);
            } else {
                fillWindow();
            }
        }

        private boolean maySend() {
            boolean may = sending && connection.isActive()
                    && (options.messagesPerSender() == 0 || sentHere < options.messagesPerSender());
            if (!may) {
                stopped = true;
            }
            return may;
        }

        private void send(long dueNanos) {
            Bodies.chat(body, dueNanos - origin, textLength);
            connection.notify(DemoRoutes.ROOM_SAY, body);
            sentHere++;
            sentMessages.increment();
        }

        void ownDelivery() {
            ownDelivered++;
            if (pacer == null) {
                fillWindow();
            }
        }

        private void fillWindow() {
            while (sentHere - ownDelivered < options.inFlight() && maySend()) {
                send(System.nanoTime());
            }
            connection.flush();
        }

        @Override
        public void run() {
            if (!maySend()) {
                tick.cancel(false);
                return;
            }
            for (long due = pacer.due(System.nanoTime()); due > 0 && maySend(); due--) {
                send(pacer.next());
            }
            connection.flush();
        }
    }
}
