package io.switchboard.registry;

import java.util.Objects;

/**
 * A change of the registry's node list, as seen by a {@link RegistryListener}.
 *
 * @param type what happened
 * @param node the node as it is now; for {@link Type#REMOVED}, as it was last seen
 */
public record RegistryEvent(Type type, NodeInfo node) {

    public RegistryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(node, "node");
    }

    public static RegistryEvent added(NodeInfo node) {
        return new RegistryEvent(Type.ADDED, node);
    }

    public static RegistryEvent updated(NodeInfo node) {
        return new RegistryEvent(Type.UPDATED, node);
    }

    public static RegistryEvent removed(NodeInfo node) {
        return new RegistryEvent(Type.REMOVED, node);
    }

    /** The kinds of change. */
    public enum Type {
        /** A node joined, or was already there when the listener subscribed. */
        ADDED,
        /** A node changed its record: state, load, addresses or metadata. */
        UPDATED,
        /** A node left: it deregistered, or its process or session died. */
        REMOVED
    }
}
