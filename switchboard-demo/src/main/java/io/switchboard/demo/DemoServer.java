package io.switchboard.demo;

import io.switchboard.gate.GateConfig;
import io.switchboard.handler.Handlers;
import io.switchboard.rooms.RoomRegistry;
import io.switchboard.server.StandaloneServer;

/** The demo application on a {@link StandaloneServer}: what {@code switchboard demo} runs. */
public final class DemoServer implements AutoCloseable {
    private final StandaloneServer server;
    private final RoomRegistry rooms;

    private DemoServer(StandaloneServer server, RoomRegistry rooms) {
        this.server = server;
        this.rooms = rooms;
    }

    /** Starts the demo on {@code port} with admin HTTP on {@code adminPort} (0 = any free port, -1 = off). */
    public static DemoServer start(int port, int adminPort) throws InterruptedException {
        return start(GateConfig.builder().port(port), adminPort);
    }

    /** Starts the demo with the given gate settings. */
    public static DemoServer start(GateConfig.Builder gate, int adminPort) throws InterruptedException {
        Handlers handlers = new Handlers();
        RoomRegistry rooms = DemoApp.register(handlers, RoomRegistry.builder());
        try {
            StandaloneServer server = StandaloneServer.builder()
                    .gate(gate)
                    .handlers(handlers)
                    .adminPort(adminPort)
                    .build()
                    .start();
            return new DemoServer(server, rooms);
        } catch (InterruptedException | RuntimeException e) {
            rooms.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return server.adminPort();
    }

    /** The demo's rooms. */
    public RoomRegistry rooms() {
        return rooms;
    }

    public StandaloneServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        rooms.close();
    }
}
