package io.switchboard.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One part of a process that {@link ProcessRuntime} starts, drains and closes: a gate's client port, a cluster
 * link server, a registration. Parts start in the order added and close in the reverse order.
 */
public interface ProcessPart {

    /** Starts serving; may read the runtime's workers and meters and add admin routes. */
    void start(ProcessRuntime runtime) throws Exception;

    /** A drain began: take no new sessions or work (leave placement, stop accepting). */
    default void stopTakingNew() {
    }

    /** A shutdown signal came: leave the registry before the drain (a plain drain stays registered, as draining). */
    default void shuttingDown() {
    }

    /** Sessions (or other work) in hand that a drain waits for. */
    default int inFlight() {
        return 0;
    }

    /** Adds this part's fields to {@code /health}; may replace {@code status} with a more precise one. */
    default void health(ObjectNode health) {
    }

    /** Releases what {@link #start} took; called once, also after a failed start. */
    void close();
}
