package io.switchboard.cluster.protocol;

/**
 * The reserved routes of the {@code sys} service, on which gates and nodes keep sessions and users in step. Gates never
 * route client messages of that service to nodes, so clients cannot forge them.
 */
public final class SystemRoutes {
    /** The reserved service of session upkeep. */
    public static final String SYSTEM_SERVICE = "sys";
    /** Gate → node: the session closed, or moved to another node of this service. */
    public static final String SESSION_CLOSED = "sys.session.closed";
    /**
     * Gate → node → gate: release the session a client took to another gate with its resume token (the payload, which
     * the holding gate checks whole). The envelope names the holding gate and its session; a node relays it there.
     */
    public static final String SESSION_RELEASE = "sys.session.release";
    /** Node → gate: bind the session to the user id in the payload (empty: unbind). */
    public static final String SESSION_BIND = "sys.session.bind";
    /** Node → gate: kick the session with the reason in the payload. */
    public static final String SESSION_KICK = "sys.session.kick";
    /** Node → gate: the session joined the room in the payload, on the sending node. */
    public static final String ROOM_JOINED = "sys.room.joined";
    /** Node → gate: the session left the room in the payload. */
    public static final String ROOM_LEFT = "sys.room.left";
    /**
     * Node → gate requests about users, answered by the gate from its session directory. Login and logout name the
     * session (session id) and the user (user id); the others name the user only and may go to any gate.
     */
    public static final String USER_LOGIN = "sys.user.login";
    public static final String USER_LOGOUT = "sys.user.logout";
    /** Payload: a {@link PushPayload}. Answer: the number of sessions, as text. */
    public static final String USER_PUSH = "sys.user.push";
    /** Answer: the locations' keys, one per line. */
    public static final String USER_LOOKUP = "sys.user.lookup";
    /** Payload: the reason. Answer: the number of sessions, as text. */
    public static final String USER_KICK = "sys.user.kick";

    private SystemRoutes() {
    }

    /** The service of a route: its first segment. */
    public static String serviceOf(String route) {
        int dot = route.indexOf('.');
        return dot < 0 ? route : route.substring(0, dot);
    }
}
