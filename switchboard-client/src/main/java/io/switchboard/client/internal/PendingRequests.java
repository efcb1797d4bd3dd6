package io.switchboard.client.internal;

import io.switchboard.client.Response;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The requests of one connection still waiting for their answers, by id. Ids count up from 1. Every request
 * gets the same timeout, so insertion order is deadline order and expiry only looks at the oldest.
 * Confined to the connection's event loop.
 */
final class PendingRequests {
    private final Map<Long, Pending> byId = new LinkedHashMap<>();
    private final long timeoutNanos;
    private long nextId = 1;

    PendingRequests(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** Registers a request and returns its id. */
    long add(String route, CompletableFuture<Response> future, long nowNanos) {
        long id = nextId++;
        byId.put(id, new Pending(route, future, nowNanos + timeoutNanos));
        return id;
    }

    /** Completes the request an answer is for; false when none waits (it timed out, or the id is bogus). */
    boolean complete(Response response) {
        Pending pending = byId.remove(response.id());
        return pending != null && pending.future.complete(response);
    }

    void fail(long id, Throwable cause) {
        Pending pending = byId.remove(id);
        if (pending != null) {
            pending.future.completeExceptionally(cause);
        }
    }

    /** Fails, with a {@link TimeoutException}, every request whose deadline has passed. */
    void expire(long nowNanos) {
        for (Iterator<Map.Entry<Long, Pending>> it = byId.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Pending> entry = it.next();
            Pending pending = entry.getValue();
            if (nowNanos - pending.deadlineNanos < 0) {
                return;
            }
            it.remove();
            pending.future.completeExceptionally(new TimeoutException("request #" + entry.getKey() + " "
                    + pending.route + " got no answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms"));
        }
    }

    void failAll(Throwable cause) {
        Map<Long, Pending> all = new LinkedHashMap<>(byId);
        byId.clear();
        all.values().forEach(pending -> pending.future.completeExceptionally(cause));
    }

    private record Pending(String route, CompletableFuture<Response> future, long deadlineNanos) {
    }
}
