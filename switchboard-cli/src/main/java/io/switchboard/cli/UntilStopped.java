package io.switchboard.cli;

import java.util.concurrent.CountDownLatch;

/**
 * How a server command waits: until SIGINT/SIGTERM, when its shutdown runs in the JVM's shutdown hook, or until the
 * waiting thread is interrupted (a command run in-process, as tests do), when it runs on that thread.
 */
final class UntilStopped {
    private UntilStopped() {
    }

    /** Returns once {@code shutdown} has run on an interrupt (the thread's interrupt flag set again). */
    static void await(Runnable shutdown) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            shutdown.run();
            stopped.countDown();
        }, "switchboard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            boolean removed;
            try {
                removed = Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                removed = false; // the JVM is exiting: the hook runs the shutdown
            }
            if (removed) {
                shutdown.run();
            }
            Thread.currentThread().interrupt();
        }
    }
}
