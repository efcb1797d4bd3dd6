package io.switchboard.bench.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Opens many connections with a bounded number of connects under way, so the server's accept backlog is
 * not overrun, spreading them over the given source addresses.
 */
final class Connector {
    private final LoadClient client;
    private final List<InetAddress> sources;
    private final int concurrency;
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    /** How many connections {@link #open} has been asked for so far. */
    private int opens;
    final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    Connector(LoadClient client, List<InetAddress> sources, int concurrency) {
        this.client = client;
        this.sources = sources;
        this.concurrency = concurrency;
    }

    /**
     * Opens {@code n} connections and waits for their handshakes; {@code onReady} runs on each connection's
     * event loop as soon as it is ready. Failed connects are counted, not retried.
     *
     * @return the connections that made it, in order of index (nulls removed)
     */
    List<BenchConnection> open(int n, Consumer<BenchConnection> onReady) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        BenchConnection[] opened = new BenchConnection[n];
        // A later call goes on where the last one stopped, so the connections stay spread over the source addresses.
        int first = opens;
        opens += n;
        for (int i = 0; i < n; i++) {
            permits.acquire();
            int index = i;
            connect(first + i).whenComplete((c, e) -> {
                try {
                    if (c != null) {
                        opened[index] = c;
                        onReady.accept(c);
                    }
                } finally {
                    permits.release();
                }
            });
        }
        // Every connect holds a permit until it has settled: having them all back means all are done.
        permits.acquire(concurrency);
        permits.release(concurrency);
        List<BenchConnection> result = new ArrayList<>(n);
        for (BenchConnection c : opened) {
            if (c != null) {
                result.add(c);
            }
        }
        return result;
    }

    /** One connection, from the source address its index picks. */
    CompletableFuture<BenchConnection> connect(int index) {
        InetAddress source = sources.isEmpty() ? null : sources.get(index % sources.size());
        return client.connect(source).whenComplete((c, e) -> {
            if (c != null) {
                connected.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
        });
    }

    /** Closes every connection and waits (bounded) for them to go. */
    static void closeAll(List<BenchConnection> connections) {
        CompletableFuture<?>[] closing = connections.stream().map(BenchConnection::close)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closing).get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // best effort: the event loops are shut down next anyway
        }
    }

    String failureSummary() {
        Throwable t = firstFailure.get();
        return failed.get() + " connections failed" + (t == null ? "" : ", first: " + rootMessage(t));
    }

    static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
