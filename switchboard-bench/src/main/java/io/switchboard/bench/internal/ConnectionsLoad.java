package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * Connections: open many idle connections (handshake, then heartbeats only), hold them, and read the
 * server's memory before and after to get its cost per connection; the connect rate comes with it.
 */
final class ConnectionsLoad implements Load {
    private final BenchOptions options;

    ConnectionsLoad(BenchOptions options) {
        this.options = options;
    }

    @Override
    public BenchResult run(RunningTarget target, PrintStream out) throws Exception {
        BenchResult.Builder result = BenchResult.builder("connections", target.describe());
        int n = options.idleConnections();
        result.figure("nofile_limit", SourceAddresses.fileLimit());
        String fdProblem = SourceAddresses.checkFileLimit(n, target.sharesProcess());
        if (fdProblem != null) {
            return result.problem(fdProblem).build();
        }
        List<InetAddress> sources = SourceAddresses.forConnections(n, target.address(), options.sourceAddresses());
        result.figure("source_addresses", (long) Math.max(1, sources.size()));
        MemorySample before = target.memory();
        try (LoadClient client = new LoadClient(target.address(), target.websocket(), options.clientThreads())) {
            Connector connector = new Connector(client, sources, options.connectConcurrency());
            Progress.Rate meter = new Progress.Rate();
            List<BenchConnection> connections;
            try (Progress progress = new Progress(out, options.progressInterval(), "connections", () -> String.format(
                    Locale.ROOT, "conns %,d/%,d  failed %d  connects %,.0f/s", connector.connected.get(), n,
                    connector.failed.get(), meter.perSecond(connector.connected.get())))) {
                long start = System.nanoTime();
                connections = connector.open(n, c -> { });
                double seconds = (System.nanoTime() - start) / 1e9;
                result.figure("connections", (long) connections.size())
                        .figure("connect_seconds", Math.round(seconds * 100) / 100.0)
                        .figure("connects_per_s", Math.round(connections.size() / seconds * 10) / 10.0);
                if (connector.failed.get() > 0) {
                    result.problem(connector.failureSummary());
                }
                Load.sleep(options.hold());
            }
            long alive = connections.stream().filter(BenchConnection::isActive).count();
            result.figure("held_seconds", (double) options.hold().toSeconds()).figure("alive_after_hold", alive);
            if (alive < connections.size()) {
                result.problem((connections.size() - alive) + " connections dropped while held");
            }
            int heartbeat = connections.isEmpty() ? 0 : connections.get(0).heartbeatSeconds();
            result.figure("heartbeat_seconds", (long) heartbeat);
            if (heartbeat > 0 && options.hold().toSeconds() < 2L * heartbeat) {
                result.note("held for less than two heartbeat intervals: the hold shows the server keeps idle"
                        + " connections, not yet that heartbeats keep them");
            }
            MemorySample after = target.memory();
            memory(result, before, after, alive);
            Connector.closeAll(connections);
        }
        return result.build();
    }

    private static void memory(BenchResult.Builder result, MemorySample before, MemorySample after, long alive) {
        if (before == null || after == null) {
            result.note("the server's memory is unknown: give a remote target's Prometheus endpoint with --metrics");
            return;
        }
        result.note("memory: " + after.source());
        if (after.serverConnections() >= 0) {
            result.figure("server_reports_connections", after.serverConnections());
        }
        result.figure("heap_before_bytes", before.heapUsed()).figure("heap_after_bytes", after.heapUsed());
        if (alive == 0) {
            return;
        }
        double heap = (after.heapUsed() - before.heapUsed()) / (double) alive;
        result.figure("heap_bytes_per_connection", Math.round(heap * 10) / 10.0);
        if (before.directUsed() >= 0 && after.directUsed() >= 0) {
            double direct = (after.directUsed() - before.directUsed()) / (double) alive;
            result.figure("direct_bytes_per_connection", Math.round(direct * 10) / 10.0)
                    .figure("jvm_bytes_per_connection", Math.round((heap + direct) * 10) / 10.0);
        }
        if (before.residentBytes() >= 0 && after.residentBytes() >= 0) {
            result.figure("rss_bytes_per_connection",
                    Math.round((after.residentBytes() - before.residentBytes()) / (double) alive * 10) / 10.0);
        }
        if (!after.afterGc()) {
            result.note("no GC was forced before reading the heap: the per-connection figure includes garbage");
        }
    }
}
