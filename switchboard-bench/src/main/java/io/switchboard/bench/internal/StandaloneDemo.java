package io.switchboard.bench.internal;

import io.switchboard.demo.DemoServer;
import io.switchboard.gate.GateConfig;

/**
 * Switchboard as a user runs it: the demo application on a standalone server (gate, handlers and
 * in-memory registry in one JVM), on ephemeral ports, with admin HTTP for {@code /metrics}.
 */
final class StandaloneDemo implements LocalServer {
    private final DemoServer server;

    private StandaloneDemo(DemoServer server) {
        this.server = server;
    }

    /** On loopback only, with as many I/O threads as the baseline gets, so the two compare like for like. */
    static LocalServer start(int ioThreads) throws InterruptedException {
        return new StandaloneDemo(DemoServer.start(GateConfig.builder().host("127.0.0.1").port(0)
                .ioThreads(ioThreads), 0));
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public int adminPort() {
        return server.adminPort();
    }

    @Override
    public long connections() {
        return -1; // read from /metrics, as for any Switchboard server
    }

    @Override
    public void close() {
        server.close();
    }
}
