package io.switchboard.common.concurrent;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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

    /**
     * Queues {@code task}. When the pool refuses to start a run ({@link RejectedExecutionException}: it is full or
     * shut down), the task is taken back and the refusal thrown, so the caller can answer for it.
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            try {
                pool.execute(this::run);
            } catch (RejectedExecutionException e) {
                tasks.remove(task);
                if (pending.decrementAndGet() > 0) {
                    // Others queued behind it meanwhile and rely on this run: give them one on this thread.
                    run();
                }
                throw e;
            }
        }
    }

    /**
     * Runs {@code task} on the calling thread at once when nothing is queued or running, and returns true; returns
     * false, without running it, otherwise (the caller then {@link #execute}s it to wait its turn). For a caller that
     * may run short non-blocking work itself, as an I/O thread does, and so skip the hand-off to the pool. Tasks
     * queued while it runs wait for it, then run on the pool, so the one-at-a-time order holds.
     */
    public boolean tryRunHere(Runnable task) {
        if (!pending.compareAndSet(0, 1)) {
            return false;
        }
        try {
            runLogged(task);
        } finally {
            if (pending.decrementAndGet() > 0) {
                // Others queued while it ran and, seeing it, started no run of their own: start theirs.
                try {
                    pool.execute(this::run);
                } catch (RejectedExecutionException e) {
                    run();
                }
            }
        }
        return true;
    }

    /** Tasks queued or running. */
    public int pending() {
        return pending.get();
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(SerialExecutor.class).warn("task failed", e);
        }
    }

    private void run() {
        while (true) {
            for (int i = 0; i < BATCH; i++) {
                runLogged(tasks.poll());
                if (pending.decrementAndGet() == 0) {
                    return;
                }
            }
            try {
                pool.execute(this::run);
                return;
            } catch (RejectedExecutionException e) {
                // A full pool refuses new work, not work already taken: keep this thread for the rest.
            }
        }
    }
}
