package io.switchboard.registry;

/**
 * Learns what happens to a {@link Registration} after it was made. Only registries backed by a remote store
 * (ZooKeeper) call these: the in-memory registry never loses a node.
 *
 * <p>The calls come from the registry's own thread and must return quickly. The one exception: a listener added
 * while its registration is lost hears {@link #onLost} at once, on the thread adding it (see
 * {@link Registration#addListener}), so that no listener misses a loss, whenever it was added.
 */
public interface RegistrationListener {

    /**
     * The registry connection was lost for longer than the session allows, so the cluster no longer sees this node
     * and its node id may be given to another process. Stop minting snowflake ids until {@link #onRestored}.
     */
    default void onLost(Registration registration) {
    }

    /**
     * The node was registered again after a loss, under a different node id because another process took the old
     * one meanwhile. Called before {@link #onRestored}.
     */
    default void onNodeIdChanged(Registration registration, int previousNodeId, int newNodeId) {
    }

    /** The node is visible to the cluster again after {@link #onLost}, under {@link Registration#nodeId()}. */
    default void onRestored(Registration registration) {
    }
}
