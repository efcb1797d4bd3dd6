package io.switchboard.cluster.internal;

/**
 * Names shared by gates and nodes beyond the envelope itself. Session upkeep travels as NOTIFY envelopes on
 * reserved routes of the {@code sys} service; gates never route client messages of that service to nodes, so
 * clients cannot forge them.
 */
public final class ClusterProtocol {
    /** The service type gates register under. */
    public static final String GATE_TYPE = "gate";
    /** The reserved service of session upkeep. */
    public static final String SYSTEM_SERVICE = "sys";
    /** Gate → node: the session closed, or moved to another node of this service. */
    public static final String SESSION_CLOSED = "sys.session.closed";
    /**
     * Node → gate: bind the session to the user id in the payload (empty: unbind), through the gate's session
     * directory, fire and forget ({@link io.switchboard.api.Session#bind} on a node).
     */
    public static final String SESSION_BIND = "sys.session.bind";
    /** Node → gate: kick the session with the reason in the payload. */
    public static final String SESSION_KICK = "sys.session.kick";
    /** Node → gate: the session joined the room in the payload, on the sending node. */
    public static final String ROOM_JOINED = "sys.room.joined";
    /** Node → gate: the session left the room in the payload. */
    public static final String ROOM_LEFT = "sys.room.left";
    /**
     * Node → gate requests about users, answered by the gate from its session directory (see
     * {@link io.switchboard.api.OnlineUsers}). Login and logout name the session (session id) and the user (user
     * id); the others name the user only and may go to any gate.
     */
    public static final String USER_LOGIN = "sys.user.login";
    public static final String USER_LOGOUT = "sys.user.logout";
    /** Payload: {@link #pushPayload}. Answer: the number of sessions, as text. */
    public static final String USER_PUSH = "sys.user.push";
    /** Answer: the locations' keys, one per line. */
    public static final String USER_LOOKUP = "sys.user.lookup";
    /** Payload: the reason. Answer: the number of sessions, as text. */
    public static final String USER_KICK = "sys.user.kick";
    /** Registry metadata of a node: "true" once it has been linked to every gate (seed 002). */
    public static final String READY_METADATA = "linkedAllGates";
    /** Bits of a node-side session id that hold the gate's session id; the gate's node id sits above them. */
    public static final int GATE_SESSION_BITS = 53;

    private ClusterProtocol() {
    }

    /** The id a node gives a session of a gate: unique across the cluster's gates. */
    public static long clusterSessionId(int gateNodeId, long gateSessionId) {
        return ((long) gateNodeId << GATE_SESSION_BITS) | gateSessionId;
    }

    public static int gateOf(long clusterSessionId) {
        return (int) (clusterSessionId >>> GATE_SESSION_BITS);
    }

    public static long gateSessionOf(long clusterSessionId) {
        return clusterSessionId & ((1L << GATE_SESSION_BITS) - 1);
    }

    /** {@link #USER_PUSH}'s payload: the push route's length (2 bytes), the route in UTF-8, then the body. */
    public static byte[] pushPayload(String route, byte[] body) {
        byte[] name = route.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (name.length > 0xffff) {
            throw new IllegalArgumentException("route too long");
        }
        byte[] payload = new byte[2 + name.length + body.length];
        payload[0] = (byte) (name.length >>> 8);
        payload[1] = (byte) name.length;
        System.arraycopy(name, 0, payload, 2, name.length);
        System.arraycopy(body, 0, payload, 2 + name.length, body.length);
        return payload;
    }

    /** The route of a {@link #pushPayload}. */
    public static String pushRoute(byte[] payload) {
        int length = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        return new String(payload, 2, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The body of a {@link #pushPayload}. */
    public static byte[] pushBody(byte[] payload) {
        int length = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        return java.util.Arrays.copyOfRange(payload, 2 + length, payload.length);
    }

    /** The service of a route: its first segment. */
    public static String serviceOf(String route) {
        int dot = route.indexOf('.');
        return dot < 0 ? route : route.substring(0, dot);
    }
}
