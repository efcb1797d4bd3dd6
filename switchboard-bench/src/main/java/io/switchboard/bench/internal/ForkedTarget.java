package io.switchboard.bench.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** A local server (baseline or standalone) in a {@link ChildJvm}. */
final class ForkedTarget implements RunningTarget {
    private final String kind;
    private final boolean websocket;
    private final ChildJvm child;

    private ForkedTarget(String kind, boolean websocket, ChildJvm child) {
        this.kind = kind;
        this.websocket = websocket;
        this.child = child;
    }

    static ForkedTarget start(String kind, boolean websocket, List<String> jvmArgs, int threads, boolean resume,
                              String cpus) throws IOException {
        return new ForkedTarget(kind, websocket, new ChildJvm(kind, jvmArgs, threads, resume, cpus, null));
    }

    @Override
    public String describe() {
        return kind + " (" + (websocket ? "ws" : "tcp") + ", child JVM pid " + child.pid() + ")";
    }


    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), child.port());
    }

    @Override
    public boolean websocket() {
        return websocket;
    }

    @Override
    public boolean sharesProcess() {
        return false;
    }

    @Override
    public Map<String, URI> metricsEndpoints() {
        return child.adminPort() > 0 ? Map.of(kind, LocalServer.metricsUri(child.adminPort())) : Map.of();
    }

    @Override
    public Map<String, Long> serverProcesses() {
        return Map.of(kind, child.pid());
    }

    @Override
    public MemorySample memory() {
        return child.memory();
    }

    @Override
    public void close() {
        child.close();
    }
}
