package io.switchboard.cluster.internal;

import java.time.Duration;
import java.util.function.IntSupplier;

/** Waits, at most a bound, for work in hand to end before a process cuts its links: the last step of a drain. */
final class Quiesce {
    private static final long POLL_MILLIS = 5;

    private Quiesce() {
    }

    /** Blocks until {@code inHand} reads 0 or {@code limit} passed; true when it reached 0. */
    static boolean await(IntSupplier inHand, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (inHand.getAsInt() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
