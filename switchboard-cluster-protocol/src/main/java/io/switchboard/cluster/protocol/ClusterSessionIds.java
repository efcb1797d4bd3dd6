package io.switchboard.cluster.protocol;

/**
 * The session ids nodes see: a gate's session id in the low {@value #GATE_SESSION_BITS} bits, the gate's node id
 * above them, so ids are unique across the cluster's gates.
 */
public final class ClusterSessionIds {
    /** Bits of a node-side session id that hold the gate's session id. */
    public static final int GATE_SESSION_BITS = 53;
    private static final long GATE_SESSION_MASK = (1L << GATE_SESSION_BITS) - 1;

    private ClusterSessionIds() {
    }

    /** The id a node gives a session of a gate. */
    public static long of(int gateNodeId, long gateSessionId) {
        return ((long) gateNodeId << GATE_SESSION_BITS) | gateSessionId;
    }

    public static int gateOf(long clusterSessionId) {
        return (int) (clusterSessionId >>> GATE_SESSION_BITS);
    }

    public static long gateSessionOf(long clusterSessionId) {
        return clusterSessionId & GATE_SESSION_MASK;
    }
}
