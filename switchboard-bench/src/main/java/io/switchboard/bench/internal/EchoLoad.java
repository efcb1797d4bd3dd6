package io.switchboard.bench.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Echo: every connection keeps {@code inFlight} requests on {@code demo.echo.say} outstanding (flat out), or
 * sends at a fixed share of {@code rate} (paced, latency from each request's due time). Every response is
 * checked against the request body.
 */
final class EchoLoad implements Load, LoadMeter {
    /** A paced connection stops sending (and counts the skip) beyond this many unanswered requests. */
    private static final int PACED_MAX_IN_FLIGHT = 1024;
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final BenchOptions options;
    private final double rate;
    private final String name;
    private final ByteBuf body;
    private final String route;
    private final LatencyStats latency = new LatencyStats();
    private final LongAdder sent = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder mismatches = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final LongAdder skipped = new LongAdder();
    private volatile boolean sending;

    /** @param rate total requests per second, or 0 for flat out */
    EchoLoad(BenchOptions options, double rate, String name) {
        this.options = options;
        this.rate = rate;
        this.name = name;
        this.body = Bodies.echo(options.bodySize());
        this.route = options.echoRoute();
    }

    @Override
    public long completed() {
        return responses.sum();
    }

    @Override
    public long failed() {
        return errors.sum() + mismatches.sum() + skipped.sum();
    }

    @Override
    public LatencyStats latency() {
        return latency;
    }

    @Override
    public BenchResult run(RunningTarget target, PrintStream out) throws Exception {
        BenchResult.Builder result = BenchResult.builder(name, target.describe());
        int n = options.connections();
        long limit = options.requestsPerConnection();
        try (LoadClient client = new LoadClient(target.address(), target.websocket(), options.clientThreads())) {
            Connector connector = new Connector(client, List.of(), options.connectConcurrency());
            List<BenchConnection> connections = connector.open(n, c -> { });
            if (connections.size() < n) {
                result.problem(connector.failureSummary());
            }
            Progress.Rate meter = new Progress.Rate();
            try (Progress progress = new Progress(out, options.progressInterval(), name, () -> String.format(
                    Locale.ROOT, "conns %d/%d  rate %,.0f req/s  %s", connector.connected.get(), n,
                    meter.perSecond(responses.sum()), Progress.percentiles(latency.total())))) {
                sending = true;
                if (rate > 0) {
                    startPaced(connections, limit);
                } else {
                    for (BenchConnection c : connections) {
                        Worker worker = new Worker(c, limit);
                        c.eventLoop().execute(worker::start);
                    }
                }
                long measuredResponses;
                long windowNanos;
                ServerCpu cpu = null;
                Hiccups hiccups = null;
                if (limit > 0) {
                    long start = System.nanoTime();
                    long expected = limit * connections.size();
                    Duration timeout = options.duration().plus(Duration.ofSeconds(30));
                    if (!Load.await(() -> responses.sum() >= expected, timeout)) {
                        result.problem("only " + responses.sum() + " of " + expected + " responses within " + timeout);
                    }
                    windowNanos = System.nanoTime() - start;
                    measuredResponses = responses.sum();
                } else {
                    Load.sleep(options.warmup());
                    latency.reset();
                    long r0 = responses.sum();
                    cpu = ServerCpu.start(target);
                    hiccups = Hiccups.start();
                    long w0 = System.nanoTime();
                    Load.sleep(options.duration());
                    measuredResponses = responses.sum() - r0;
                    windowNanos = System.nanoTime() - w0;
                    if (cpu != null) {
                        cpu.stop();
                    }
                    hiccups.stop();
                }
                Histogram h = latency.total();
                sending = false;
                if (!Load.await(() -> responses.sum() >= sent.sum(), DRAIN)) {
                    result.problem((sent.sum() - responses.sum()) + " requests never answered");
                }
                result.figure("connections", (long) connections.size());
                if (rate > 0) {
                    result.figure("offered_rate_per_s", round(rate));
                } else {
                    result.figure("in_flight_per_connection", (long) options.inFlight());
                }
                result.figure("body_bytes", (long) body.readableBytes())
                        .figure("responses", measuredResponses)
                        .figure("seconds", round(windowNanos / 1e9))
                        .figure("requests_per_s", round(measuredResponses / (windowNanos / 1e9)))
                        .latency("", h);
                if (cpu != null) {
                    cpu.addTo(result, measuredResponses, "request");
                }
                if (hiccups != null) {
                    hiccups.addTo(result);
                }
                long dropped = connections.stream().filter(c -> !c.isActive()).count();
                if (dropped > 0) {
                    result.problem(dropped + " connections were closed during the run");
                }
                if (errors.sum() > 0) {
                    result.problem(errors.sum() + " responses were errors, the first: " + firstError.get());
                }
                if (mismatches.sum() > 0) {
                    result.problem(mismatches.sum() + " responses did not echo the request body");
                }
                if (skipped.sum() > 0) {
                    result.problem(skipped.sum() + " paced requests skipped: over " + PACED_MAX_IN_FLIGHT
                            + " unanswered on a connection, the server cannot keep this rate");
                }
                if (rate > 0) {
                    result.note("paced: latency counts from each request's due time, so a late send counts its wait");
                }
            }
            Connector.closeAll(connections);
        }
        return result.build();
    }

    /**
     * One pacing timer per event loop, dealing its due requests round-robin over that loop's connections:
     * a timer per connection would cost the generator as many wake-ups as it sends requests.
     */
    private void startPaced(List<BenchConnection> connections, long limit) {
        Map<EventLoop, List<Worker>> byLoop = new LinkedHashMap<>();
        for (BenchConnection c : connections) {
            byLoop.computeIfAbsent(c.eventLoop(), loop -> new ArrayList<>()).add(new Worker(c, limit));
        }
        byLoop.forEach((loop, workers) -> {
            LoopPacer pacer = new LoopPacer(workers, rate * workers.size() / connections.size());
            loop.execute(pacer::start);
        });
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** One connection's requests and responses, on that connection's event loop. */
    private final class Worker implements BenchConnection.ResponseListener {
        final BenchConnection connection;
        private final long limit;
        private boolean paced;
        private boolean unflushed;
        private long sentHere;

        Worker(BenchConnection connection, long limit) {
            this.connection = connection;
            this.limit = limit;
        }

        /** Flat out: fill the window; each response sends the next request. */
        void start() {
            for (int i = 0; i < options.inFlight() && maySend(); i++) {
                send(System.nanoTime());
            }
            connection.flush();
        }

        boolean maySend() {
            return sending && connection.isActive() && (limit == 0 || sentHere < limit);
        }

        void send(long startNanos) {
            connection.request(route, body, startNanos, this);
            sentHere++;
            sent.increment();
        }

        @Override
        public void onResponse(BenchConnection c, ByteBuf response, boolean error, long startNanos) {
            long now = System.nanoTime();
            latency.record(now - startNanos);
            responses.increment();
            if (error) {
                errors.increment();
                if (firstError.get() == null) {
                    firstError.compareAndSet(null, response.toString(StandardCharsets.UTF_8));
                }
            } else if (!ByteBufUtil.equals(response, body)) {
                mismatches.increment();
            }
            if (!paced && maySend()) {
                send(now);
            }
        }
    }

    /** Paced sending for the connections of one event loop. */
    private final class LoopPacer implements Runnable {
        private final List<Worker> workers;
        private final double perSecond;
        private Pacer pacer;
        private ScheduledFuture<?> tick;
        private int next;

        LoopPacer(List<Worker> workers, double perSecond) {
            this.workers = workers;
            this.perSecond = perSecond;
        }

        void start() {
            workers.forEach(w -> w.paced = true);
            pacer = new Pacer(System.nanoTime(), perSecond);
            tick = workers.get(0).connection.eventLoop().scheduleAtFixedRate(this, 0, Pacer.tickNanos(perSecond),
                    TimeUnit.NANOSECONDS);
        }

        /** A tick: send what is due, each request on the next connection in turn. */
        @Override
        public void run() {
            if (!sending) {
                tick.cancel(false);
                return;
            }
            for (long due = pacer.due(System.nanoTime()); due > 0; due--) {
                long at = pacer.next();
                Worker w = workers.get(next++ % workers.size());
                if (!w.maySend()) {
                    continue;
                }
                if (w.connection.inFlight() >= PACED_MAX_IN_FLIGHT) {
                    skipped.increment();
                } else {
                    w.send(at);
                    w.unflushed = true;
                }
            }
            for (Worker w : workers) {
                if (w.unflushed) {
                    w.unflushed = false;
                    w.connection.flush();
                }
            }
        }
    }
}
