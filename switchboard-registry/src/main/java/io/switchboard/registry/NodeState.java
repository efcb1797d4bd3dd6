package io.switchboard.registry;

/** Whether a node takes new users and rooms. */
public enum NodeState {
    /** Takes new users and rooms. */
    SERVING,
    /**
     * Takes nothing new; existing users and rooms finish, then the process exits. A node turns draining when a
     * newer version of its service comes online or when it is asked to shut down.
     */
    DRAINING
}
