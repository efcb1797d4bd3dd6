package io.switchboard.registry;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A node's membership in the registry, returned by {@link Registry#register(NodeInfo)}. The process keeps it for
 * its whole life: it publishes state and load changes through it and deregisters with it on shutdown.
 */
public interface Registration extends AutoCloseable {

    /**
     * The node id the registry assigned, below {@value NodeInfo#MAX_NODES}. It can change only after the
     * registration was lost and restored (see {@link RegistrationListener#onNodeIdChanged}).
     */
    int nodeId();

    /** The record as this process last published it, with {@link #nodeId()} filled in. */
    NodeInfo info();

    /**
     * Changes the published record, typically its {@linkplain NodeInfo#withState state} or
     * {@linkplain NodeInfo#withLoad load}. The function gets the current record; it may not change the
     * {@linkplain NodeInfo#id() id}, {@linkplain NodeInfo#type() type} or {@linkplain NodeInfo#version() version},
     * and whatever node id it sets is replaced by the assigned one. Updates apply in the order they are made.
     *
     * <p>The record is changed locally at once ({@link #info()} shows it) and published asynchronously. If
     * publishing fails because the registry is unreachable the future fails, and the record is published
     * when the registration is restored.
     *
     * @return the published record; fails with {@link RegistryErrors#NOT_REGISTERED} after {@link #deregister()}
     * @throws IllegalArgumentException when the change alters the id, type or version
     */
    CompletableFuture<NodeInfo> update(UnaryOperator<NodeInfo> change);

    /** Replaces the published record; the same rules as {@link #update(UnaryOperator)}. */
    default CompletableFuture<NodeInfo> update(NodeInfo info) {
        return update(current -> info);
    }

    /** Whether the node is registered: true until {@link #deregister()}. Stays true while the node is lost. */
    boolean isRegistered();

    /**
     * Adds a listener for losses and restorations of this registration. One added while the registration is lost
     * hears {@link RegistrationListener#onLost} at once, on the calling thread, as if it had been there at the loss;
     * so a listener added as soon as {@link Registry#register} completes learns of a loss that came meanwhile. It
     * then hears {@link RegistrationListener#onRestored} like the others.
     */
    void addListener(RegistrationListener listener);

    void removeListener(RegistrationListener listener);

    /** Removes the node from the registry and frees its node id. Idempotent. */
    CompletableFuture<Void> deregister();

    /** Deregisters and waits for it. */
    @Override
    default void close() {
        deregister().join();
    }
}
