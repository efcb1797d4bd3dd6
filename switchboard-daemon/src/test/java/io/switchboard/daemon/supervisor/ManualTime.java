package io.switchboard.daemon.supervisor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/** A wall clock and a scheduler that move only when a test says so; due tasks run on the test's thread. */
final class ManualTime extends Clock implements Scheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long nowMillis = 1_800_000_000_000L;
    private long sequence;

    private final class Task implements Comparable<Task>, Cancellable {
        final long due;
        final long order = sequence++;
        final Runnable action;
        volatile boolean cancelled;

        Task(long due, Runnable action) {
            this.due = due;
            this.action = action;
        }

        @Override
        public int compareTo(Task other) {
            return due != other.due ? Long.compare(due, other.due) : Long.compare(order, other.order);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(nowMillis + delay.toMillis(), task);
        tasks.add(scheduled);
        return scheduled;
    }

    /** Moves time forward, running each task that falls due on the way at its time. */
    void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nowMillis + duration.toMillis();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    nowMillis = target;
                    return;
                }
                tasks.poll();
                nowMillis = Math.max(nowMillis, next.due);
            }
            if (!next.cancelled) {
                next.action.run();
            }
        }
    }

    /** Tasks scheduled and not cancelled. */
    synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    @Override
    public synchronized long millis() {
        return nowMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
