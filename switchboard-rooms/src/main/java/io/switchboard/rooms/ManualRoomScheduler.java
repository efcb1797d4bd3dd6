package io.switchboard.rooms;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link RoomScheduler} whose time moves only by {@link #advance}: due tasks run, in time order, on the thread
 * that advances (they hand their work to the rooms' executors). For tests of room timers.
 */
public final class ManualRoomScheduler implements RoomScheduler {
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    private final class Entry implements Comparable<Entry>, RoomTimer {
        final long due;
        final long order;
        final Runnable task;
        volatile boolean cancelled;

        Entry(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public int compareTo(Entry o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }

        @Override
        public boolean cancel() {
            synchronized (ManualRoomScheduler.this) {
                if (cancelled || !queue.remove(this)) {
                    return false;
                }
                cancelled = true;
                return true;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    @Override
    public synchronized RoomTimer schedule(Duration delay, Runnable task) {
        Entry entry = new Entry(now + Math.max(0, delay.toNanos()), sequence++, task);
        queue.add(entry);
        return entry;
    }

    /** Moves time forward and runs every task that comes due, including ones those tasks schedule. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
            }
            next.task.run();
        }
    }

    /** Tasks scheduled and not yet run or cancelled. */
    public synchronized int pending() {
        return queue.size();
    }
}
