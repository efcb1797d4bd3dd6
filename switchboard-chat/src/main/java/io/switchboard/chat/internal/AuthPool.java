package io.switchboard.chat.internal;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A small pool of the chat application's own for work a client can ask for without logging in (password hashes,
 * handshake tokens), so it never takes the workers every route shares. Threads and queue are bounded: when the
 * queue is full a task is refused at once with {@link ChatErrors#AUTH_BUSY} instead of waiting without bound.
 */
public final class AuthPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;

    /** {@code threads} and {@code queue} as {@link io.switchboard.chat.ChatConfig} checked them: positive. */
    public AuthPool(String name, int threads, int queue) {
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue), new DefaultThreadFactory(name, true),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code task} on the pool; the future completes with its result or its exception.
     *
     * @throws SwitchboardException {@link ChatErrors#AUTH_BUSY} when the queue is full or the pool is closed
     */
    public <T> CompletableFuture<T> submit(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, executor);
        } catch (RejectedExecutionException e) {
            throw new SwitchboardException(ChatErrors.AUTH_BUSY);
        }
    }

    /** Takes no more tasks; queued and running ones finish (the threads are daemons). */
    @Override
    public void close() {
        executor.shutdown();
    }
}
