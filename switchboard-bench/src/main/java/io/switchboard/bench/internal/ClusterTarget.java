package io.switchboard.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.protocol.Json;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cluster path as deployed: a registry (embedded ZooKeeper), a gate and a demo service node, each in its own
 * {@link ChildJvm}; the load goes to the gate, which forwards every demo route over its link to the node. Ready once
 * the gate would place sessions on the node.
 */
final class ClusterTarget implements RunningTarget {
    private static final Duration LINK_WAIT = Duration.ofSeconds(60);

    private final boolean websocket;
    private final List<ChildJvm> children = new ArrayList<>();
    private final ChildJvm gate;

    private ClusterTarget(boolean websocket, List<String> jvmArgs, int threads, boolean resume, String cpus)
            throws IOException {
        this.websocket = websocket;
        try {
            ChildJvm zookeeper = start(new ChildJvm(ClusterProcesses.ZOOKEEPER, List.of(), 1, false, null, null));
            String registry = "127.0.0.1:" + zookeeper.port();
            gate = start(new ChildJvm(ClusterProcesses.GATE, jvmArgs, threads, resume, cpus, registry));
            start(new ChildJvm(ClusterProcesses.NODE, jvmArgs, threads, false, cpus, registry));
            awaitLinked();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    static ClusterTarget start(boolean websocket, List<String> jvmArgs, int threads, boolean resume, String cpus)
            throws IOException {
        return new ClusterTarget(websocket, jvmArgs, threads, resume, cpus);
    }

    private ChildJvm start(ChildJvm child) {
        children.add(child);
        return child;
    }

    /** Waits until the gate's {@code /health} counts the demo node as one it places sessions on. */
    private void awaitLinked() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gate.adminPort() + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + LINK_WAIT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                JsonNode body = Json.MAPPER.readTree(answer.body());
                if (body.path("placeable").path("demo").asInt() > 0) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the node to link", e);
        }
        throw new IOException("the cluster's node did not link to its gate within " + LINK_WAIT);
    }

    @Override
    public String describe() {
        return "cluster (" + (websocket ? "ws" : "tcp") + ", gate pid " + gate.pid() + " + node pid "
                + children.get(2).pid() + " + ZooKeeper pid " + children.get(0).pid() + ")";
    }


    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), gate.port());
    }

    @Override
    public boolean websocket() {
        return websocket;
    }

    @Override
    public boolean sharesProcess() {
        return false;
    }

    /** The gate's and the node's; the embedded ZooKeeper has no admin HTTP. */
    @Override
    public Map<String, URI> metricsEndpoints() {
        Map<String, URI> endpoints = new LinkedHashMap<>();
        for (ChildJvm child : children) {
            if (child.adminPort() > 0) {
                endpoints.put(child.kind(), LocalServer.metricsUri(child.adminPort()));
            }
        }
        return endpoints;
    }

    /** ZooKeeper, the gate and the node: the whole deployment's CPU, and each one's. */
    @Override
    public Map<String, Long> serverProcesses() {
        Map<String, Long> processes = new LinkedHashMap<>();
        children.forEach(child -> processes.put(child.kind(), child.pid()));
        return processes;
    }

    /** The gate's: it holds the client connections. */
    @Override
    public MemorySample memory() {
        return gate.memory();
    }

    @Override
    public void close() {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }
}
