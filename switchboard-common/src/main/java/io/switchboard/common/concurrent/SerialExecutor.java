package io.switchboard.common.concurrent;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: one session's (or room's) work never
 * runs on two threads at once, and a busy session does not hold a thread while it has nothing queued.
 * A run drains up to {@link #BATCH} tasks, then yields the thread so other sessions get their turn.
 */
public final class SerialExecutor implements Executor {
    private static final int BATCH = 64;

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Queued plus running tasks; the run is scheduled when this goes from 0 to 1. */
    private final AtomicInteger pending = new AtomicInteger();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            pool.execute(this::run);
        }
    }

    /** Tasks queued or running. */
    public int pending() {
        return pending.get();
    }

    private void run() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task = tasks.poll();
            try {
                task.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SerialExecutor.class).warn("task failed", e);
            }
            if (pending.decrementAndGet() == 0) {
                return;
            }
        }
        pool.execute(this::run);
    }
}
