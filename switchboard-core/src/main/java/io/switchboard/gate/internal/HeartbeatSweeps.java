package io.switchboard.gate.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.common.time.Ticker;
import io.switchboard.metrics.GateMetrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gate's heartbeat checks: a single timer per event loop walks that loop's established connections every check
 * interval, instead of a timer per connection (idle connections are counted in the hundred thousands, and a timer
 * costs each of them about a hundred bytes). Also holds what every {@link HeartbeatHandler} of the gate shares.
 */
final class HeartbeatSweeps {
    /** Clients' timers may fire this fraction of an interval early; an answer to such a heartbeat is still due. */
    private static final int TIMER_SLACK_DIVISOR = 10;

    final Ticker ticker;
    final long heartbeatTimeoutNanos;
    final long minAnswerGapNanos;
    final GateMetrics metrics;
    private final long checkIntervalNanos;
    private final Map<EventExecutor, Sweep> byLoop = new ConcurrentHashMap<>();

    HeartbeatSweeps(Ticker ticker, Duration heartbeat, Duration checkInterval, GateMetrics metrics) {
        this.ticker = ticker;
        this.heartbeatTimeoutNanos = heartbeat.toNanos() * 2;
        this.minAnswerGapNanos = heartbeat.toNanos() - heartbeat.toNanos() / TIMER_SLACK_DIVISOR;
        this.checkIntervalNanos = checkInterval.toNanos();
        this.metrics = metrics;
    }

    /** Starts checking {@code handler}; called on {@code loop}, which runs its connection. */
    void add(HeartbeatHandler handler, EventExecutor loop) {
        byLoop.computeIfAbsent(loop, Sweep::new).add(handler);
    }

    /** Stops checking {@code handler}; called on {@code loop}. Harmless when it is not checked. */
    void remove(HeartbeatHandler handler, EventExecutor loop) {
        if (handler.linked) {
            byLoop.get(loop).remove(handler);
        }
    }

    /** How many event loops have a sweep running. */
    int loops() {
        return byLoop.size();
    }

    /**
     * The connections of one event loop, in an intrusive list through their handlers: no node object per connection.
     * Touched on that loop only. The timer runs while the list is not empty.
     */
    private final class Sweep implements Runnable {
        private final EventExecutor loop;
        private HeartbeatHandler head;
        private int size;
        private ScheduledFuture<?> timer;

        Sweep(EventExecutor loop) {
            this.loop = loop;
        }

        void add(HeartbeatHandler handler) {
            handler.linked = true;
            handler.prev = null;
            handler.next = head;
            if (head != null) {
                head.prev = handler;
            }
            head = handler;
            if (size++ == 0) {
                timer = loop.scheduleWithFixedDelay(this, checkIntervalNanos, checkIntervalNanos,
                        TimeUnit.NANOSECONDS);
            }
        }

        /** Unlinks {@code handler}, leaving its {@code next} as it was so that a walk standing on it can go on. */
        void remove(HeartbeatHandler handler) {
            handler.linked = false;
            if (handler.prev != null) {
                handler.prev.next = handler.next;
            } else {
                head = handler.next;
            }
            if (handler.next != null) {
                handler.next.prev = handler.prev;
            }
            handler.prev = null;
            if (--size == 0) {
                timer.cancel(false);
                timer = null;
                byLoop.remove(loop, this);
            }
        }

        @Override
        public void run() {
            // A check may close its connection, and a close may unlink handlers: the next one is taken first, and
            // an unlinked one is passed over.
            long now = ticker.nanoTime(); // one clock reading for the whole walk
            HeartbeatHandler handler = head;
            while (handler != null) {
                HeartbeatHandler next = handler.next;
                if (handler.linked) {
                    handler.check(now);
                }
                handler = next;
            }
        }
    }
}
