package io.switchboard.bench.internal;

import io.switchboard.bench.BenchResult;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** One scenario's load against one target. */
interface Load {

    BenchResult run(RunningTarget target, PrintStream out) throws Exception;

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** Waits until {@code done} holds or the timeout passes; returns whether it holds. */
    static boolean await(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
