package io.switchboard.resource.probe;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.switchboard.common.time.Ticker;
import io.switchboard.resource.config.Endpoint;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Probes the {@code heartbeat_list} endpoints by TCP connect, each every {@code heartbeat_gap}, all on one event
 * loop: a probe is a non-blocking connect that the loop completes, so thousands of endpoints need no thread each.
 * Time is the injected {@link Ticker}; {@link #tick} starts the probes that are due (the owner calls it often, and
 * tests call it after moving a manual ticker). A probe that is still connecting when the next is due is not doubled;
 * its connect timeout is below the gap so it always ends first.
 *
 * <p>Every method runs on the loop given to the constructor.
 */
public final class Prober implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Prober.class);
    /** A connect that takes longer than this is a failure whatever the gap: the peer is not answering well. */
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** The probe only wants the connect; the channel is closed as soon as it is made. */
    private static final ChannelHandler NO_OP = new NoOpHandler();

    @ChannelHandler.Sharable
    private static final class NoOpHandler extends ChannelInboundHandlerAdapter {
    }

    /** Told on the loop when an endpoint changes state. */
    @FunctionalInterface
    public interface Listener {
        void stateChanged(Endpoint endpoint, ProbeState from, ProbeState to);
    }

    private final EventLoop loop;
    private final Ticker ticker;
    private final Listener listener;
    private final ProbeMetrics metrics;
    private final Bootstrap bootstrap;
    private final Map<String, EndpointHealth> endpoints = new HashMap<>();
    private final Set<ChannelFuture> connecting = new HashSet<>();
    private long completed;
    private boolean closed;

    public Prober(EventLoop loop, Ticker ticker, MeterRegistry meters, Listener listener) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.metrics = new ProbeMetrics(meters);
        this.bootstrap = new Bootstrap().group(loop).channel(Transports.socketChannel())
                .handler(NO_OP);
    }

    /**
     * Follows a new config: endpoints that are unchanged keep their state and counts; new or changed ones start
     * {@link ProbeState#PENDING} and are probed at the next tick; removed ones are forgotten.
     */
    public void update(List<Endpoint> all) {
        Map<String, Endpoint> next = new HashMap<>();
        for (Endpoint endpoint : all) {
            if (endpoint.probed()) {
                next.put(endpoint.key(), endpoint);
            }
        }
        for (EndpointHealth health : new ArrayList<>(endpoints.values())) {
            if (!health.endpoint.equals(next.get(health.endpoint.key()))) {
                endpoints.remove(health.endpoint.key());
                metrics.moved(health.endpoint.module(), health.state(), null);
            }
        }
        long now = ticker.nanoTime();
        for (Endpoint endpoint : next.values()) {
            if (!endpoints.containsKey(endpoint.key())) {
                endpoints.put(endpoint.key(), new EndpointHealth(endpoint, now));
                metrics.moved(endpoint.module(), null, ProbeState.PENDING);
            }
        }
    }

    /** Starts every probe that is due. */
    public void tick() {
        if (closed) {
            return;
        }
        long now = ticker.nanoTime();
        for (EndpointHealth health : endpoints.values()) {
            if (!health.inFlight && now - health.nextDue >= 0) {
                health.nextDue = now + health.endpoint.heartbeat().gap().toNanos();
                probe(health);
            }
        }
    }

    private void probe(EndpointHealth health) {
        Endpoint endpoint = health.endpoint;
        health.inFlight = true;
        long timeout = Math.min(endpoint.heartbeat().gap().toMillis() / 2, MAX_CONNECT_TIMEOUT.toMillis());
        ChannelFuture connect = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout)
                .connect(endpoint.probeHost(), endpoint.port());
        connecting.add(connect);
        connect.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                done.channel().close();
            }
            // A channel that failed to register completes elsewhere: the record is the loop's alone.
            if (loop.inEventLoop()) {
                finished(health, done);
            } else {
                loop.execute(() -> finished(health, done));
            }
        });
    }

    private void finished(EndpointHealth health, ChannelFuture done) {
        connecting.remove(done);
        if (!closed && endpoints.get(health.endpoint.key()) == health) {
            recorded(health, done.isSuccess(), done.cause());
        }
    }

    private void recorded(EndpointHealth health, boolean answered, Throwable cause) {
        Endpoint endpoint = health.endpoint;
        health.inFlight = false;
        completed++;
        metrics.probed(endpoint.module(), answered);
        ProbeState from = health.state();
        ProbeState to = health.record(answered);
        if (to == null) {
            log.debug("probe {} {}:{}: {}", endpoint.key(), endpoint.probeHost(), endpoint.port(),
                    answered ? "answered" : String.valueOf(cause));
            return;
        }
        metrics.moved(endpoint.module(), from, to);
        if (to == ProbeState.DOWN) {
            log.warn("endpoint {} ({}:{}) is down after {} failed probe(s): {}", endpoint.key(), endpoint.probeHost(),
                    endpoint.port(), health.failures(), cause == null ? "no answer" : cause.getMessage());
        } else {
            log.info("endpoint {} ({}:{}) is up after {} answered probe(s)", endpoint.key(), endpoint.probeHost(),
                    endpoint.port(), health.successes());
        }
        listener.stateChanged(endpoint, from, to);
    }

    /** The state of {@code endpoint}: {@link ProbeState#UP} for one served without probing. */
    public ProbeState state(Endpoint endpoint) {
        if (!endpoint.probed()) {
            return ProbeState.UP;
        }
        EndpointHealth health = endpoints.get(endpoint.key());
        return health == null || !health.endpoint.equals(endpoint) ? ProbeState.PENDING : health.state();
    }

    /** Probes finished since the start, for tests that wait for a round to end. */
    public long completed() {
        return completed;
    }

    /** Stops probing and drops the connects in flight. */
    @Override
    public void close() {
        closed = true;
        for (ChannelFuture connect : new ArrayList<>(connecting)) {
            connect.cancel(false);
            connect.channel().close();
        }
        connecting.clear();
    }
}
