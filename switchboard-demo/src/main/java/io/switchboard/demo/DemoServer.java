package io.switchboard.demo;

import io.switchboard.gate.GateConfig;
import io.switchboard.handler.Handlers;
import io.switchboard.server.StandaloneServer;

/** The demo application on a {@link StandaloneServer}: what {@code switchboard demo} runs. */
public final class DemoServer implements AutoCloseable {
    private final StandaloneServer server;

    private DemoServer(StandaloneServer server) {
        this.server = server;
    }

    /** Starts the demo on {@code port} with admin HTTP on {@code adminPort} (0 = any free port, -1 = off). */
    public static DemoServer start(int port, int adminPort) throws InterruptedException {
        return start(GateConfig.builder().port(port), adminPort);
    }

    /** Starts the demo with the given gate settings. */
    public static DemoServer start(GateConfig.Builder gate, int adminPort) throws InterruptedException {
        StandaloneServer server = StandaloneServer.builder()
                .gate(gate)
                .handlers(DemoApp.register(new Handlers()))
                .adminPort(adminPort)
                .build()
                .start();
        return new DemoServer(server);
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return server.adminPort();
    }

    public StandaloneServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
