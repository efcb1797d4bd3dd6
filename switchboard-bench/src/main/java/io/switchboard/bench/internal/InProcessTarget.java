package io.switchboard.bench.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/** A local server started in this JVM: the cheapest set-up, but the server shares heap and cores with the generator. */
final class InProcessTarget implements RunningTarget {
    private final String kind;
    private final boolean websocket;
    private final LocalServer server;

    InProcessTarget(String kind, boolean websocket, LocalServer server) {
        this.kind = kind;
        this.websocket = websocket;
        this.server = server;
    }

    @Override
    public String describe() {
        return kind + " (" + (websocket ? "ws" : "tcp") + ", in-process)";
    }


    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    }

    @Override
    public boolean websocket() {
        return websocket;
    }

    @Override
    public boolean sharesProcess() {
        return true;
    }

    @Override
    public Map<String, URI> metricsEndpoints() {
        return server.adminPort() > 0 ? Map.of(kind, LocalServer.metricsUri(server.adminPort())) : Map.of();
    }

    @Override
    public MemorySample memory() {
        long connections = server.connections();
        if (connections < 0 && server.adminPort() > 0) {
            try {
                connections = (long) PrometheusText.fetch(LocalServer.metricsUri(server.adminPort()))
                        .sum("switchboard_gate_connections");
            } catch (java.io.IOException e) {
                connections = -1;
            }
        }
        return LocalServer.measureThisJvm(connections, "this JVM after a full GC: server and generator together");
    }

    @Override
    public void close() {
        server.close();
    }
}
