package io.switchboard.bench.internal;

import io.switchboard.demo.DemoServer;
import io.switchboard.gate.GateConfig;

import java.time.Duration;

/**
 * Switchboard as a user runs it: the demo application on a standalone server (gate, handlers and
 * in-memory registry in one JVM), on ephemeral ports, with admin HTTP for {@code /metrics}.
 */
final class StandaloneDemo implements LocalServer {
    private final DemoServer server;

    private StandaloneDemo(DemoServer server) {
        this.server = server;
    }

    /**
     * On loopback only, with as many I/O threads as the baseline gets, so the two compare like for like; with
     * {@code resume} the gate parks dropped sessions for the default grace period, as {@code switchboard demo} does
     * (off otherwise, so the other scenarios measure what they always did).
     */
    static LocalServer start(int ioThreads, boolean resume) throws InterruptedException {
        return new StandaloneDemo(DemoServer.start(GateConfig.builder().host("127.0.0.1").port(0)
                .ioThreads(ioThreads).resumeGrace(resume ? GateConfig.DEFAULT_RESUME_GRACE : Duration.ZERO), 0));
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
