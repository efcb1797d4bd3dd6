package io.switchboard.runtime.internal;

import io.switchboard.runtime.ExitHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * A process's way out (seed 001): stop taking new sessions, let the existing ones finish, then stop and exit.
 * {@link #drain} has no deadline (rolling upgrade, admin {@code POST /shutdown}); {@link #shutdown} waits at most
 * a given time (SIGINT/SIGTERM) and then stops anyway. The owner calls {@link #check()} whenever a session ends.
 */
public final class Drainer {
    private static final Logger log = LoggerFactory.getLogger(Drainer.class);

    private final String name;
    private final IntSupplier liveSessions;
    private final Runnable stopTakingNew;
    private final Runnable stop;
    private final ExitHandler exit;
    private final CompletableFuture<Void> empty = new CompletableFuture<>();
    private final java.util.concurrent.ExecutorService lifecycle;
    private volatile boolean draining;
    private boolean stopped;
    private boolean exitWhenEmpty;

    public Drainer(String name, IntSupplier liveSessions, Runnable stopTakingNew, Runnable stop, ExitHandler exit) {
        this.name = name;
        this.liveSessions = liveSessions;
        this.stopTakingNew = stopTakingNew;
        this.stop = stop;
        this.exit = exit;
        this.lifecycle = java.util.concurrent.Executors.newSingleThreadExecutor(
                new io.netty.util.concurrent.DefaultThreadFactory("switchboard-drain", true));
    }

    public boolean isDraining() {
        return draining;
    }

    /** Drains with no deadline; stops and exits with status 0 when the last session is gone. */
    public void drain(String why) {
        synchronized (this) {
            exitWhenEmpty = true;
            if (!startDraining(why)) {
                return;
            }
        }
        check();
    }

    /**
     * Drains for at most {@code deadline}, then stops, without calling the exit handler: for shutdown hooks,
     * where the JVM is exiting already. Blocks.
     */
    public void shutdown(String why, Duration deadline) {
        synchronized (this) {
            startDraining(why);
        }
        checkNow();
        try {
            empty.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("{}: {} sessions still open after {}; stopping anyway", name, liveSessions.getAsInt(), deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("{}: drain failed", name, e.getCause());
        }
        stopOnce();
    }

    private boolean startDraining(String why) {
        if (draining) {
            return false;
        }
        draining = true;
        log.info("{} draining: {} ({} sessions open)", name, why, liveSessions.getAsInt());
        stopTakingNew.run();
        return true;
    }

    /**
     * Ends the drain if no session is left. Safe from any thread, I/O threads included: the stop runs on the
     * drainer's own thread, since stopping a server waits for its event loops.
     */
    public void check() {
        if (draining) {
            try {
                lifecycle.execute(this::checkNow);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closed: the process is stopping anyway.
            }
        }
    }

    private void checkNow() {
        if (!draining || liveSessions.getAsInt() > 0) {
            return;
        }
        empty.complete(null);
        boolean exitNow;
        synchronized (this) {
            exitNow = exitWhenEmpty && !stopped;
        }
        if (exitNow) {
            log.info("{}: last session gone; exiting", name);
            stopOnce();
            exit.exit(0);
        }
    }

    private void stopOnce() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        stop.run();
    }

    /** Releases the drainer's thread. */
    public void close() {
        lifecycle.shutdown();
    }
}
