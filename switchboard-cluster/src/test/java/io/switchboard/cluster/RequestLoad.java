package io.switchboard.cluster;

import io.switchboard.client.CloseReason;
import io.switchboard.client.ConnectionClosedException;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import static org.awaitility.Awaitility.await;

/**
 * A load generator for fault tests: client connections each keeping a window of requests open on one route, and
 * what became of every request: answered, failed with an error code, the connection closed under it, or hung (the
 * client's own timeout, set above the cluster's request timeout, ran out, or it never ended). A request failed
 * with a code is retried after a short pause so that an outage does not turn the loop into a busy spin.
 */
final class RequestLoad implements AutoCloseable {
    private static final long RETRY_PAUSE_MS = 20;

    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final Map<Long, AtomicLong> failedWithCode = new ConcurrentHashMap<>();
    final AtomicLong connectionClosed = new AtomicLong();
    /** Requests the client gave up on after its own timeout: the cluster left them unanswered. */
    final AtomicLong timedOut = new AtomicLong();
    final AtomicLong otherFailures = new AtomicLong();
    /** The bodies of the requests answered without an error. */
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Why the load's connections closed, for those that did. */
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    private final AtomicLong maxWaitNanos = new AtomicLong();
    /** When the first and the last request that did not get an answer ended: the outage as the clients saw it. */
    private final AtomicLong firstFailureNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastFailureNanos = new AtomicLong(Long.MIN_VALUE);
    private final String route;
    private final LongFunction<String> bodies;
    private final int window;
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "request-load-pauses");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopped;
    private volatile Throwable otherSample;

    /** {@code bodies} makes the JSON body of the n-th request. */
    RequestLoad(String route, LongFunction<String> bodies, int window) {
        this.route = route;
        this.bodies = bodies;
        this.window = window;
    }

    /** Keeps {@code window} requests of this load open on the client until it is stopped or disconnected. */
    RequestLoad start(SwitchboardClient client) {
        client.onClose(closes::add);
        for (int i = 0; i < window; i++) {
            next(client);
        }
        return this;
    }

    private void next(SwitchboardClient client) {
        if (stopped || !client.isConnected()) {
            return;
        }
        String body = bodies.apply(ids.incrementAndGet());
        sent.incrementAndGet();
        long start = System.nanoTime();
        CompletableFuture<Response> request;
        try {
            request = client.request(route, body.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            request = CompletableFuture.failedFuture(e);
        }
        request.whenComplete((r, e) -> {
            maxWaitNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            if (ended(body, r, e)) {
                next(client);
            } else if (!stopped) {
                pauses.schedule(() -> next(client), RETRY_PAUSE_MS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Counts how the request ended; whether it was answered without an error. */
    private boolean ended(String body, Response response, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (response != null && !response.isError()) {
            acknowledged.add(body);
            answered.incrementAndGet();
            return true;
        }
        long now = System.nanoTime();
        firstFailureNanos.accumulateAndGet(now, Math::min);
        lastFailureNanos.accumulateAndGet(now, Math::max);
        if (response != null) {
            failedWithCode.computeIfAbsent(response.errorCode(), c -> new AtomicLong()).incrementAndGet();
        } else if (cause instanceof ConnectionClosedException) {
            connectionClosed.incrementAndGet();
        } else if (cause instanceof TimeoutException) {
            timedOut.incrementAndGet();
        } else {
            otherFailures.incrementAndGet();
            otherSample = cause;
        }
        return false;
    }

    long failedWithACode() {
        return failedWithCode.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long failedWithCode(long code) {
        AtomicLong count = failedWithCode.get(code);
        return count == null ? 0 : count.get();
    }

    long ended() {
        return answered.get() + failedWithACode() + connectionClosed.get() + timedOut.get() + otherFailures.get();
    }

    /** Requests that got no answer, no code and no close: given up on by the client, or still open. */
    long hung() {
        return timedOut.get() + sent.get() - ended();
    }

    /** From the first request that ended without an answer to the last; zero when all were answered. */
    Duration failureWindow() {
        long first = firstFailureNanos.get();
        return first == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(lastFailureNanos.get() - first);
    }

    Duration maxWait() {
        return Duration.ofNanos(maxWaitNanos.get());
    }

    /** Stops sending and waits, at most {@code atMost}, until every request sent has ended. */
    void stopAndAwaitEveryEnd(Duration atMost) {
        stopped = true;
        await().atMost(atMost).until(() -> ended() == sent.get());
    }

    @Override
    public void close() {
        stopped = true;
        pauses.shutdownNow();
    }

    /** One line for the summary table of RELIABILITY.md. */
    String summary(String fault) {
        return "FAULT " + fault + " | sent " + sent + " | answered " + answered + " | failed with a code "
                + failedWithACode() + " " + new TreeMap<>(failedWithCode) + " | connection closed "
                + connectionClosed + " | hung " + hung() + " | other " + otherFailures
                + (otherSample == null ? "" : " (" + otherSample + ")") + " | longest wait " + maxWait().toMillis()
                + " ms | failures over " + failureWindow().toMillis() + " ms"
                + (closes.isEmpty() ? "" : " | connections closed " + closes.size());
    }

    @Override
    public String toString() {
        return summary(route);
    }
}
