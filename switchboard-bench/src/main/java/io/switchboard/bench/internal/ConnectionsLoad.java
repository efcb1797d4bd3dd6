package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Connections: open many idle connections (handshake, then heartbeats only), hold them, and read the
 * server's memory before and after to get its cost per connection (and, from the memory half-way, what one more
 * connection adds); the connect rate comes with it.
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
            MemorySample middle;
            int middleConnections;
            try (Progress progress = new Progress(out, options.progressInterval(), "connections", () -> String.format(
                    Locale.ROOT, "conns %,d/%,d  failed %d  connects %,.0f/s", connector.connected.get(), n,
                    connector.failed.get(), meter.perSecond(connector.connected.get())))) {
                // Half first, then the memory, then the rest: what the second half adds is what a connection
                // costs, without what the first burst of connects grows once (allocator chunks, caches).
                int firstHalf = n / 2;
                long start = System.nanoTime();
                connections = new ArrayList<>(connector.open(firstHalf, c -> { }));
                long connecting = System.nanoTime() - start;
                middle = target.memory();
                middleConnections = connections.size();
                start = System.nanoTime();
                connections.addAll(connector.open(n - firstHalf, c -> { }));
                double seconds = (connecting + System.nanoTime() - start) / 1e9;
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
            marginal(result, middle, after, alive - middleConnections);
            Connector.closeAll(connections);
        }
        return result.build();
    }

    /** The memory the connections opened after {@code middle} added, per connection. */
    private static void marginal(BenchResult.Builder result, MemorySample middle, MemorySample after, long added) {
        if (middle == null || after == null || added <= 0) {
            return;
        }
        perConnection(result, "marginal_", middle, after, added);
        result.note("marginal: what the second half of the connections added, divided by their count (the first"
                + " connects also grow fixed pools and caches once, which the per-connection figures spread over all)");
    }

    /** Heap, direct and both between two samples, divided by {@code count}, as {@code <prefix>heap_bytes_per_…}. */
    private static void perConnection(BenchResult.Builder result, String prefix, MemorySample from, MemorySample to,
                                      long count) {
        double heap = (to.heapUsed() - from.heapUsed()) / (double) count;
        result.figure(prefix + "heap_bytes_per_connection", Math.round(heap * 10) / 10.0);
        if (from.directUsed() >= 0 && to.directUsed() >= 0) {
            double direct = (to.directUsed() - from.directUsed()) / (double) count;
            result.figure(prefix + "direct_bytes_per_connection", Math.round(direct * 10) / 10.0)
                    .figure(prefix + "jvm_bytes_per_connection", Math.round((heap + direct) * 10) / 10.0);
        }
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
        perConnection(result, "", before, after, alive);
        if (before.residentBytes() >= 0 && after.residentBytes() >= 0) {
            result.figure("rss_bytes_per_connection",
                    Math.round((after.residentBytes() - before.residentBytes()) / (double) alive * 10) / 10.0);
        }
        if (!after.afterGc()) {
            result.note("no GC was forced before reading the heap: the per-connection figure includes garbage");
        }
    }
}
