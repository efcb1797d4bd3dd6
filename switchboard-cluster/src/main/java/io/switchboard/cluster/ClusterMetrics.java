package io.switchboard.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.cluster.protocol.FrameRejectReason;
import io.switchboard.cluster.protocol.FrameRejectionCounter;
import io.switchboard.common.error.ErrorCode;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster link's meters: refused frames by reason ({@code switchboard.cluster.frames.rejected}), closed links
 * by reason ({@code switchboard.cluster.links.closed}), open links ({@code switchboard.cluster.links.active}) and
 * remote requests that failed by error code ({@code switchboard.cluster.requests.failed}), notifies dropped on a
 * saturated link or over a session's limits on a node ({@code switchboard.cluster.notifies.dropped}) and requests a
 * node dropped past their deadline ({@code switchboard.cluster.requests.expired}). One per process.
 */
public final class ClusterMetrics {
    private final MeterRegistry meters;
    private final FrameRejectionCounter rejections = new FrameRejectionCounter();
    private final AtomicInteger activeLinks = new AtomicInteger();
    private final Map<LinkCloseReason, Counter> closed = new ConcurrentHashMap<>();
    private final Map<Long, Counter> failed = new ConcurrentHashMap<>();
    private final Counter notifiesDropped;
    private final Counter requestsExpired;
    private final HopTraces hopTraces;

    public ClusterMetrics(MeterRegistry meters) {
        this(meters, Clock.systemUTC());
    }

    /** @param clock the wall clock hop timestamps are read against */
    public ClusterMetrics(MeterRegistry meters, Clock clock) {
        this.meters = Objects.requireNonNull(meters, "meters");
        this.hopTraces = new HopTraces(meters, Objects.requireNonNull(clock, "clock"));
        for (FrameRejectReason reason : FrameRejectReason.values()) {
            FunctionCounter.builder("switchboard.cluster.frames.rejected", rejections, r -> r.count(reason))
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("cluster frames refused (each closes its link)")
                    .register(meters);
        }
        meters.gauge("switchboard.cluster.links.active", activeLinks);
        notifiesDropped = Counter.builder("switchboard.cluster.notifies.dropped")
                .description("client notifies a gate dropped because the link to their node was saturated")
                .register(meters);
        requestsExpired = Counter.builder("switchboard.cluster.requests.expired")
                .description("requests a node dropped unrun: their sender's wait had run out while they were queued")
                .register(meters);
    }

    /** The hop times of answered requests. */
    public HopTraces hopTraces() {
        return hopTraces;
    }

    /** Meters kept in memory only, for tests and embedding. */
    public static ClusterMetrics inMemory() {
        return new ClusterMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry meters() {
        return meters;
    }

    /** The listener the links' frame decoders report to. */
    public FrameRejectionCounter frameRejections() {
        return rejections;
    }

    public void linkOpened() {
        activeLinks.incrementAndGet();
    }

    public void linkClosed(LinkCloseReason reason) {
        activeLinks.decrementAndGet();
        closed.computeIfAbsent(reason, r -> Counter.builder("switchboard.cluster.links.closed")
                .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(meters)).increment();
    }

    /** Links closed for {@code reason} so far. */
    public long linksClosed(LinkCloseReason reason) {
        Counter counter = closed.get(reason);
        return counter == null ? 0 : (long) counter.count();
    }

    public int activeLinks() {
        return activeLinks.get();
    }

    public void requestFailed(ErrorCode code) {
        failed.computeIfAbsent(code.code(), c -> Counter.builder("switchboard.cluster.requests.failed")
                .tag("code", code.name()).register(meters)).increment();
    }

    public void notifyDropped() {
        notifiesDropped.increment();
    }

    public long notifiesDropped() {
        return (long) notifiesDropped.count();
    }

    public void requestExpired() {
        requestsExpired.increment();
    }

    /** Requests this node dropped unrun because their deadline had passed. */
    public long requestsExpired() {
        return (long) requestsExpired.count();
    }

    /** Remote requests that failed with {@code code} so far. */
    public long requestsFailed(ErrorCode code) {
        Counter counter = failed.get(code.code());
        return counter == null ? 0 : (long) counter.count();
    }
}
