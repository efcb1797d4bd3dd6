package io.switchboard.gate;

import io.switchboard.gate.internal.EncodedFanOut;

/**
 * Lets a thread that delivers a burst of broadcasts to the gate's sessions (a cluster link reading a batch of them)
 * hold back their writes until the burst is over: each session then writes all the pushes it got with one write and
 * one flush, as a raw Netty server that flushes once per read does. Between {@link #begin()} and {@link #end()} on
 * the same thread; the pushes wait at most until {@code end}, so it must follow, in a {@code finally} or a read's
 * completion (or until the thread holds a few thousand, which it then writes and goes on holding).
 */
public final class FanOutBatch {
    private FanOutBatch() {
    }

    /** Starts holding this thread's fan-out writes; nothing when it holds already. */
    public static void begin() {
        EncodedFanOut.hold();
    }

    /** Writes what this thread held back and stops holding. */
    public static void end() {
        EncodedFanOut.writeHeld();
    }
}
