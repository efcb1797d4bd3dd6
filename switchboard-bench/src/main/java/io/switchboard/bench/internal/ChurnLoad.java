package io.switchboard.bench.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Churn: {@code connections} workers, each looping connect, handshake, join a room, say {@code churnMessages}
 * things, leave, disconnect. Measures whole cycles per second, cycle latency and connect latency.
 */
final class ChurnLoad implements Load, LoadMeter {
    private static final ByteBuf CHAT = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
            "{\"text\":\"churn\"}".getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    private static final ByteBuf EMPTY_OBJECT = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
            "{}".getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    private static final long RETRY_DELAY_MILLIS = 10;

    private final BenchOptions options;
    private final LatencyStats cycleLatency = new LatencyStats();
    private final LatencyStats connectLatency = new LatencyStats();
    private final LongAdder cycles = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder chats = new LongAdder();
    private final AtomicInteger finishedWorkers = new AtomicInteger();
    private volatile boolean running;
    private LoadClient client;
    private Connector connector;

    ChurnLoad(BenchOptions options) {
        this.options = options;
    }

    @Override
    public long completed() {
        return cycles.sum();
    }

    @Override
    public long failed() {
        return failures.sum();
    }

    @Override
    public LatencyStats latency() {
        return cycleLatency;
    }

    @Override
    public BenchResult run(RunningTarget target, PrintStream out) throws Exception {
        BenchResult.Builder result = BenchResult.builder("churn", target.describe());
        int workers = options.connections();
        try (LoadClient client = new LoadClient(target.address(), target.websocket(), options.clientThreads())) {
            this.client = client;
            connector = new Connector(client, List.of(), workers);
            Progress.Rate meter = new Progress.Rate();
            try (Progress progress = new Progress(out, options.progressInterval(), "churn", () -> String.format(
                    Locale.ROOT, "workers %d  cycles %,.0f/s  failed %d  %s", workers, meter.perSecond(cycles.sum()),
                    failures.sum(), Progress.percentiles(cycleLatency.total())))) {
                running = true;
                for (int w = 0; w < workers; w++) {
                    new Worker(w).next();
                }
                long measured;
                long windowNanos;
                if (options.cyclesPerWorker() > 0) {
                    long start = System.nanoTime();
                    Duration timeout = options.duration().plus(Duration.ofSeconds(60));
                    if (!Load.await(() -> finishedWorkers.get() >= workers, timeout)) {
                        result.problem("workers still cycling after " + timeout);
                    }
                    windowNanos = System.nanoTime() - start;
                    measured = cycles.sum();
                } else {
                    Load.sleep(options.warmup());
                    cycleLatency.reset();
                    connectLatency.reset();
                    long c0 = cycles.sum();
                    long w0 = System.nanoTime();
                    Load.sleep(options.duration());
                    measured = cycles.sum() - c0;
                    windowNanos = System.nanoTime() - w0;
                }
                Histogram cycle = cycleLatency.total();
                Histogram connect = connectLatency.total();
                running = false;
                if (!Load.await(() -> finishedWorkers.get() >= workers, Duration.ofSeconds(15))) {
                    result.problem((workers - finishedWorkers.get()) + " workers did not finish their last cycle");
                }
                result.figure("workers", (long) workers).figure("rooms", (long) options.rooms())
                        .figure("messages_per_cycle", (long) options.churnMessages())
                        .figure("cycles", measured)
                        .figure("seconds", Math.round(windowNanos / 1e8) / 10.0)
                        .figure("cycles_per_s", Math.round(measured / (windowNanos / 1e9) * 10) / 10.0)
                        .figure("chat_pushes_received", chats.sum())
                        .latency("", cycle)
                        .latency("connect_", connect);
                if (failures.sum() > 0) {
                    result.problem(failures.sum() + " cycles failed (connect refused, error response or dropped link)");
                }
                result.note("latency: one whole cycle, connect to disconnect; connect_: TCP/WS connect plus handshake");
            }
        }
        return result.build();
    }

    /** One worker's loop; each cycle runs on the event loop of that cycle's connection. */
    private final class Worker {
        private final int id;
        private int cycle;

        Worker(int id) {
            this.id = id;
        }

        /** The next cycle, after the configured pause when this is not the first. */
        void next() {
            long pause = options.churnPause().toNanos();
            if (pause > 0 && cycle > 0 && running) {
                client.group().schedule(this::cycle, pause, TimeUnit.NANOSECONDS);
            } else {
                cycle();
            }
        }

        private void cycle() {
            if (!running || options.cyclesPerWorker() > 0 && cycle >= options.cyclesPerWorker()) {
                finishedWorkers.incrementAndGet();
                return;
            }
            cycle++;
            long start = System.nanoTime();
            connector.connect(id).whenComplete((c, e) -> {
                if (c == null) {
                    failures.increment();
                    connectorRetry();
                    return;
                }
                connectLatency.record(System.nanoTime() - start);
                new Cycle(this, c, start).begin();
            });
        }

        /** A refused connect must not spin: try again a little later. */
        private void connectorRetry() {
            client.group().schedule(this::cycle, RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }

        String name() {
            return "c" + id + "-" + cycle;
        }
    }

    /** Join, talk, leave, disconnect; finishes once, however the connection ends. */
    private final class Cycle {
        private final Worker worker;
        private final BenchConnection connection;
        private final long start;
        private boolean failed;
        private boolean done;

        Cycle(Worker worker, BenchConnection connection, long start) {
            this.worker = worker;
            this.connection = connection;
            this.start = start;
        }

        void begin() {
            connection.pushListener((c, route, body) -> {
                if (DemoRoutes.ON_CHAT.equals(route)) {
                    chats.increment();
                }
            });
            connection.closed().whenComplete((v, e) -> connection.eventLoop().execute(this::finish));
            String join = "{\"room\":\"bench-churn-" + (worker.id % options.rooms()) + "\",\"name\":\""
                    + worker.name() + "\"}";
            connection.request(DemoRoutes.ROOM_JOIN, Unpooled.wrappedBuffer(join.getBytes(StandardCharsets.UTF_8)),
                    start, (c, body, error, s) -> joined(error));
            connection.flush();
        }

        private void joined(boolean error) {
            if (error) {
                failed = true;
                connection.close();
                return;
            }
            for (int i = 0; i < options.churnMessages(); i++) {
                connection.notify(DemoRoutes.ROOM_SAY, CHAT);
            }
            connection.request(DemoRoutes.ROOM_LEAVE, EMPTY_OBJECT, start, (c, body, leaveError, s) -> {
                failed |= leaveError;
                connection.close();
            });
        }

        private void finish() {
            if (done) {
                return;
            }
            done = true;
            if (failed || connection.inFlight() > 0) {
                failures.increment();
            } else {
                cycleLatency.record(System.nanoTime() - start);
                cycles.increment();
            }
            worker.next();
        }
    }
}
