package io.switchboard.cluster.internal;

import io.switchboard.common.time.Ticker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests sent over links and not answered yet, by request id. Each entry ends exactly once: answered,
 * failed because its node went away, or expired at its deadline (read from the injected ticker by
 * {@link #expire()}, which the owner calls periodically).
 *
 * @param <T> what the owner needs to finish a request
 */
public final class PendingRequests<T> {
    private final Ticker ticker;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Entry<T>> entries = new ConcurrentHashMap<>();

    /** A waiting request: where it went and when it gives up. */
    public record Entry<T>(long id, int nodeId, long deadline, T value) {
    }

    public PendingRequests(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Records a request to {@code nodeId} that expires after {@code timeoutNanos}; returns its id (never 0). */
    public long add(int nodeId, long timeoutNanos, T value) {
        long id = ids.incrementAndGet();
        entries.put(id, new Entry<>(id, nodeId, ticker.nanoTime() + timeoutNanos, value));
        return id;
    }

    /** Takes the entry for an answer; null when it already ended (late answers are dropped). */
    public Entry<T> complete(long id) {
        return entries.remove(id);
    }

    /** Takes every entry sent to {@code nodeId}: its link went down. */
    public List<Entry<T>> failNode(int nodeId) {
        return takeIf(e -> e.nodeId() == nodeId);
    }

    /** Takes every entry past its deadline. */
    public List<Entry<T>> expire() {
        long now = ticker.nanoTime();
        return takeIf(e -> now - e.deadline() >= 0);
    }

    /** Takes every entry. */
    public List<Entry<T>> drainAll() {
        return takeIf(e -> true);
    }

    public int size() {
        return entries.size();
    }

    private List<Entry<T>> takeIf(java.util.function.Predicate<Entry<T>> test) {
        List<Entry<T>> taken = new ArrayList<>();
        for (Iterator<Entry<T>> it = entries.values().iterator(); it.hasNext(); ) {
            Entry<T> entry = it.next();
            // remove(key, value) so an entry answered concurrently is not ended twice.
            if (test.test(entry) && entries.remove(entry.id(), entry)) {
                taken.add(entry);
            }
        }
        return taken;
    }
}
