package io.switchboard.cluster.internal;

import io.switchboard.common.time.Ticker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Requests sent over links and not answered yet, by request id, at most {@code capacity} of them. Each entry ends
 * exactly once: answered, failed because its node went away, or expired at its deadline (read from the injected
 * ticker by {@link #expire()}, which the owner calls periodically). The entries are also kept in deadline order, so
 * {@link #expire()} looks only at those that are due, never at the whole table.
 *
 * @param <T> what the owner needs to finish a request
 */
public final class PendingRequests<T> {
    /** Requests one gate or node may wait for at once unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 65_536;

    private static final Comparator<Entry<?>> BY_DEADLINE = (a, b) -> {
        long d = a.deadline() - b.deadline(); // ticker readings: compare by difference, they may wrap
        return d != 0 ? Long.signum(d) : Long.compare(a.id(), b.id());
    };

    private final Ticker ticker;
    private final int capacity;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger size = new AtomicInteger();
    private final Map<Long, Entry<T>> entries = new ConcurrentHashMap<>();
    private final NavigableSet<Entry<T>> byDeadline = new ConcurrentSkipListSet<>(BY_DEADLINE);

    /** A waiting request: where it went and when it gives up. */
    public record Entry<T>(long id, int nodeId, long deadline, T value) {
    }

    public PendingRequests(Ticker ticker) {
        this(ticker, DEFAULT_CAPACITY);
    }

    public PendingRequests(Ticker ticker, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.ticker = ticker;
        this.capacity = capacity;
    }

    /**
     * Records a request to {@code nodeId} that expires after {@code timeoutNanos}; returns its id (never 0), or 0 when
     * {@code capacity} requests wait already (nothing recorded: the caller refuses the request).
     */
    public long add(int nodeId, long timeoutNanos, T value) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return 0;
        }
        long id = ids.incrementAndGet();
        Entry<T> entry = new Entry<>(id, nodeId, ticker.nanoTime() + timeoutNanos, value);
        entries.put(id, entry);
        byDeadline.add(entry);
        return id;
    }

    /** Takes the entry for an answer; null when it already ended (late answers are dropped). */
    public Entry<T> complete(long id) {
        Entry<T> entry = entries.remove(id);
        if (entry != null) {
            ended(entry);
        }
        return entry;
    }

    /** Takes every entry sent to {@code nodeId}: its link went down. A whole-table walk, once per lost link. */
    public List<Entry<T>> failNode(int nodeId) {
        return takeIf(e -> e.nodeId() == nodeId);
    }

    /** Takes every entry past its deadline, walking only those. */
    public List<Entry<T>> expire() {
        long now = ticker.nanoTime();
        List<Entry<T>> taken = new ArrayList<>();
        for (Entry<T> first; !byDeadline.isEmpty(); ) {
            try {
                first = byDeadline.first();
            } catch (java.util.NoSuchElementException e) {
                break; // ended concurrently
            }
            if (now - first.deadline() < 0) {
                break;
            }
            // remove(key, value) so an entry answered concurrently is not ended twice.
            if (entries.remove(first.id(), first)) {
                ended(first);
                taken.add(first);
            } else {
                byDeadline.remove(first);
            }
        }
        return taken;
    }

    /** Takes every entry. */
    public List<Entry<T>> drainAll() {
        return takeIf(e -> true);
    }

    public int size() {
        return size.get();
    }

    public int capacity() {
        return capacity;
    }

    private void ended(Entry<T> entry) {
        byDeadline.remove(entry);
        size.decrementAndGet();
    }

    private List<Entry<T>> takeIf(Predicate<Entry<T>> test) {
        List<Entry<T>> taken = new ArrayList<>();
        for (Entry<T> entry : entries.values()) {
            if (test.test(entry) && entries.remove(entry.id(), entry)) {
                ended(entry);
                taken.add(entry);
            }
        }
        return taken;
    }
}
