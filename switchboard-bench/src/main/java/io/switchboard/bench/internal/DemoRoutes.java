package io.switchboard.bench.internal;

import io.switchboard.protocol.RouteDictionary;

import java.util.List;
import java.util.Map;

/**
 * The routes of the demo application, which every measured server serves: the generator sends them and
 * the baseline answers them.
 */
public final class DemoRoutes {
    public static final String ECHO_SAY = "demo.echo.say";
    /** The same echo, its handler on the worker pool: the framework's default path. */
    public static final String ECHO_SAY_ON_WORKERS = "demo.echo.sayOnWorkers";
    /** The same echo with the body as bytes, no JSON parsed or written: the baseline's own work. */
    public static final String ECHO_SAY_BYTES_ON_WORKERS = "demo.echo.sayBytesOnWorkers";
    public static final String ECHO_TELL = "demo.echo.tell";
    public static final String ROOM_JOIN = "demo.room.join";
    public static final String ROOM_SAY = "demo.room.say";
    public static final String ROOM_LEAVE = "demo.room.leave";

    public static final String ON_TELL = "onTell";
    public static final String ON_JOIN = "onJoin";
    public static final String ON_CHAT = "onChat";
    public static final String ON_LEAVE = "onLeave";

    /** Every route either side may name, so both can recognise a route without allocating a string. */
    public static final List<String> ALL = List.of(ECHO_SAY, ECHO_TELL, ROOM_JOIN, ROOM_SAY, ROOM_LEAVE,
            ON_TELL, ON_JOIN, ON_CHAT, ON_LEAVE, ECHO_SAY_ON_WORKERS, ECHO_SAY_BYTES_ON_WORKERS);

    /** The baseline's dictionary: all the routes above, numbered from 50 as Switchboard numbers user routes. */
    public static final RouteDictionary DICTIONARY = RouteDictionary.of(Map.of(), ALL);

    private DemoRoutes() {
    }
}
