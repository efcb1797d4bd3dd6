package io.switchboard.protocol.domi;

/**
 * The frameType values below {@value #FIRST_USER_EVENT}, which DOMI reserves for the framework. Codes 1–39 are the
 * gate's framework push routes (the same codes as in the route dictionary, such as {@code onRoomJoin} = 1); the
 * control events of the connection itself take 40–49, so the two never meet.
 *
 * <table>
 *   <caption>Reserved control events</caption>
 *   <tr><th>code</th><th>name</th><th>client → gate</th><th>gate → client</th></tr>
 *   <tr><td>40</td><td>hello</td><td>first frame: data = handshake JSON (Pomelo's, may be empty)</td>
 *       <td>data = the handshake answer JSON, with the route dictionary ({@code sys.dict})</td></tr>
 *   <tr><td>41</td><td>heartbeat</td><td>empty</td><td>empty</td></tr>
 *   <tr><td>42</td><td>error</td><td>—</td><td>an error reply: data = {@code {"code":..,"msg":".."}},
 *       extend = the request id</td></tr>
 *   <tr><td>43</td><td>kick</td><td>—</td><td>data = {@code {"reason":".."}}, then the gate closes</td></tr>
 *   <tr><td>44</td><td>named push</td><td>—</td><td>a push whose route has no code: data = body,
 *       extend = the route in UTF-8</td></tr>
 * </table>
 */
public final class DomiEvents {
    /** The first frameType that is a route code; everything below is reserved. */
    public static final int FIRST_USER_EVENT = 50;
    /** The first reserved code of the connection's control events; below are framework push routes. */
    public static final int FIRST_CONTROL_EVENT = 40;

    public static final int HELLO = 40;
    public static final int HEARTBEAT = 41;
    public static final int ERROR = 42;
    public static final int KICK = 43;
    public static final int NAMED_PUSH = 44;

    /** A request carries a 4-byte big-endian request id in its extend; its reply echoes it. */
    public static final int REQUEST_ID_LENGTH = 4;

    private DomiEvents() {
    }

    /** Whether a client may send {@code frameType}: hello, heartbeat, or a route code. */
    public static boolean sentByClients(int frameType) {
        return frameType == HELLO || frameType == HEARTBEAT || frameType >= FIRST_USER_EVENT;
    }
}
