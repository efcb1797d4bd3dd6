package io.switchboard.gate;

import java.util.Map;

/**
 * The push routes of framework events, with the route codes reserved for them (1–49; user routes start at 50).
 * Every gate puts them in its route dictionary, so clients may receive them compressed.
 *
 * <table>
 *   <caption>Framework push routes</caption>
 *   <tr><th>code</th><th>route</th><th>body</th><th>sent when</th></tr>
 *   <tr><td>1</td><td>{@value #ROOM_JOIN}</td><td>{@code {"room":"..","uid":".."}}</td>
 *       <td>a user joined a room that announces membership</td></tr>
 *   <tr><td>2</td><td>{@value #ROOM_LEAVE}</td><td>{@code {"room":"..","uid":"..","reason":".."}}</td>
 *       <td>a user left such a room</td></tr>
 *   <tr><td>3</td><td>{@value #KICK}</td><td>{@code {"reason":".."}}</td>
 *       <td>just before a kick package, for clients that ignore kick packages</td></tr>
 *   <tr><td>4</td><td>{@value #ROOM_CLOSED}</td><td>{@code {"room":"..","reason":".."}}</td>
 *       <td>a room the client was in closed, or its node died</td></tr>
 * </table>
 */
public final class FrameworkRoutes {
    public static final String ROOM_JOIN = "onRoomJoin";
    public static final String ROOM_LEAVE = "onRoomLeave";
    public static final String KICK = "onKick";
    public static final String ROOM_CLOSED = "onRoomClosed";

    /** Route → reserved code, for {@link io.switchboard.protocol.RouteDictionary#of}. */
    public static final Map<String, Integer> CODES = Map.of(ROOM_JOIN, 1, ROOM_LEAVE, 2, KICK, 3, ROOM_CLOSED, 4);

    private FrameworkRoutes() {
    }
}
