package io.switchboard.registry.spi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in the order they were added, on any executor, even a pool: this is what keeps the
 * calls of one registry listener from overlapping.
 *
 * <p>{@link #add} and {@link #flush} are separate so that a caller can queue tasks in order while holding a lock and
 * start running them after releasing it.
 */
final class ListenerQueue implements Executor {

    private static final Logger logger = LoggerFactory.getLogger(ListenerQueue.class);
    // Give the delegate's thread back now and then so one busy queue cannot hold a pool thread forever.
    private static final int BATCH = 64;

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public ListenerQueue(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        add(task);
        flush();
    }

    /** Queues a task without starting it. */
    public void add(Runnable task) {
        tasks.add(task);
    }

    /** Starts running the queued tasks unless they are already running. */
    public void flush() {
        if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The delegate is shut down: its owner is closing, so nothing will run these any more.
            scheduled.set(false);
            tasks.clear();
            logger.debug("Dropped queued tasks: executor rejected them", e);
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    logger.warn("A serially executed task failed", t);
                }
            }
        } finally {
            scheduled.set(false);
        }
        // A task added after the last poll but before the flag dropped found the flag still set: pick it up.
        flush();
    }
}
