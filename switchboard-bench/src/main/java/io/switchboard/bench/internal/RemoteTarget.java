package io.switchboard.bench.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * A server started elsewhere ({@code tcp://host:port} or {@code ws://host:port}): Switchboard, Pomelo or
 * Pitaya serving the demo routes. Its memory is whatever its Prometheus endpoint says, without a GC.
 */
final class RemoteTarget implements RunningTarget {
    private final URI uri;
    private final URI metrics;

    RemoteTarget(URI uri, String metricsUrl) {
        if (!"tcp".equals(uri.getScheme()) && !"ws".equals(uri.getScheme()) || uri.getPort() < 0) {
            throw new IllegalArgumentException("a remote target is tcp://host:port or ws://host:port, not " + uri);
        }
        this.uri = uri;
        this.metrics = metricsUrl == null ? null : URI.create(metricsUrl);
    }

    @Override
    public String describe() {
        return uri.toString();
    }


    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(uri.getHost(), uri.getPort());
    }

    @Override
    public boolean websocket() {
        return "ws".equals(uri.getScheme());
    }

    @Override
    public boolean sharesProcess() {
        return false;
    }

    @Override
    public Map<String, URI> metricsEndpoints() {
        return metrics == null ? Map.of() : Map.of("server", metrics);
    }

    @Override
    public MemorySample memory() {
        if (metrics == null) {
            return null;
        }
        try {
            PrometheusText text = PrometheusText.fetch(metrics);
            return new MemorySample((long) text.sum("jvm_memory_used_bytes", "area=\"heap\""),
                    (long) text.sum("jvm_buffer_memory_used_bytes", "id=\"direct\""), -1,
                    (long) text.sum("switchboard_gate_connections"), false, metrics + " (no GC forced)");
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + metrics + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
