package io.switchboard.resource;

import io.switchboard.common.time.Backoff;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows one {@code /v1} view through Consul-style blocking queries: asks, hands the answer on, asks again with the
 * answer's index and a wait. When the manager is unreachable it retries with exponential backoff (the last answer
 * stays with the owner); after a failure it asks afresh without an index, since a restarted manager counts from the
 * start again. Runs on the owner's one thread: the HTTP callbacks come back to it, and the waiting query holds none.
 */
final class WatchLoop {
    private static final Logger log = LoggerFactory.getLogger(WatchLoop.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String INDEX_HEADER = "X-Switchboard-Index";
    /** Time for the answer to travel after the server's wait ends. */
    static final Duration WAIT_MARGIN = Duration.ofSeconds(5);

    /** Takes one answer, on the loop's thread; a thrown exception counts as a failure and is retried. */
    @FunctionalInterface
    interface Answer {
        void accept(JsonNode body, long index) throws IOException;
    }

    private final HttpClient http;
    private final ScheduledExecutorService thread;
    private final URI server;
    private final String path;
    private final Duration wait;
    private final Backoff backoff;
    private final Answer answer;
    private final AtomicLong failures = new AtomicLong();
    private volatile long index = -1;
    private volatile boolean closed;

    /**
     * @param path the view's path with its query so far, ending in {@code ?} or {@code &}, e.g.
     *             {@code /v1/dependencies/gate?idc=sz&}
     */
    WatchLoop(HttpClient http, ScheduledExecutorService thread, URI server, String path, Duration wait,
              Duration initialBackoff, Duration maxBackoff, Answer answer) {
        this.http = http;
        this.thread = thread;
        this.server = server;
        this.path = path;
        this.wait = wait;
        this.backoff = new Backoff(initialBackoff, maxBackoff);
        this.answer = answer;
    }

    void start() {
        thread.execute(() -> poll(0));
    }

    /** The index of the last answer, -1 before the first. */
    long index() {
        return index;
    }

    /** Requests that failed since the start. */
    long failures() {
        return failures.get();
    }

    void close() {
        closed = true;
    }

    private void poll(long attempt) {
        if (closed) {
            return;
        }
        StringBuilder query = new StringBuilder(path);
        // After a failure (attempt > 0) ask without an index: the manager may have restarted and counted anew.
        if (index >= 0 && attempt == 0) {
            query.append("index=").append(index).append("&wait=").append(wait.toSeconds()).append('s');
        }
        http.sendAsync(get(server, query.toString(), wait.plus(WAIT_MARGIN)), HttpResponse.BodyHandlers.ofString())
                // Back on the owner's thread, whichever thread completed the exchange.
                .whenCompleteAsync((response, error) -> {
                    try {
                        if (error != null) {
                            Throwable cause = error instanceof CompletionException && error.getCause() != null
                                    ? error.getCause() : error;
                            throw cause instanceof IOException io ? io : new IOException(cause);
                        }
                        long answered = response.headers().firstValue(INDEX_HEADER).map(Long::parseLong).orElse(0L);
                        answer.accept(body(response), answered);
                        index = answered;
                        poll(0);
                    } catch (IOException | RuntimeException e) {
                        retry(attempt + 1, e);
                    }
                }, thread);
    }

    private void retry(long attempt, Exception cause) {
        if (closed) {
            return;
        }
        failures.incrementAndGet();
        long delay = backoff.delay(attempt).toNanos();
        log.debug("resource manager {} not answering ({}); retry {} in {} ms, keeping the last answer", server,
                cause.toString(), attempt, TimeUnit.NANOSECONDS.toMillis(delay));
        thread.schedule(() -> poll(attempt), delay, TimeUnit.NANOSECONDS);
    }

    static HttpRequest get(URI server, String path, Duration timeout) {
        return HttpRequest.newBuilder(server.resolve(path)).timeout(timeout).GET().build();
    }

    /** The JSON body of a 200 answer; an {@link IOException} with the manager's error for any other status. */
    static JsonNode body(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IOException("resource manager answered " + response.statusCode() + ": "
                    + body.path("error").asText());
        }
        return body;
    }
}
