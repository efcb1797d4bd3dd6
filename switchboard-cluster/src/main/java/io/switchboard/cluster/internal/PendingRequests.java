package io.switchboard.cluster.internal;

import io.switchboard.common.time.Ticker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * Requests sent over links and not answered yet, by request id, at most {@code capacity} of them. Each entry ends
 * exactly once: answered, failed because its node went away, or expired at its deadline (read from the injected
 * ticker by {@link #expire()}, which the owner calls periodically). The table keeps no deadline order, which would cost
 * every request an ordered insert and removal: it keeps a lower bound of its deadlines instead, and {@link #expire()}
 * walks the table only once that bound has passed. Requests that are answered in time leave no work behind, so with
 * one timeout for all the walk comes about once per timeout; a table kept full by a peer that never answers is walked
 * at most once per call, and it holds at most {@code capacity} entries.
 *
 * <p>The table hands out the ids itself, so it needs no hash map: an entry lives in the slot its id selects in an array
 * of at least twice {@code capacity} slots, and an add whose id selects a slot still taken (by a request still waiting
 * after as many later ones as there are slots) moves on to the next id. In one pass of the ids over the slots only
 * entries from earlier passes are skipped, at most {@code capacity} of them, while at least as many adds succeed: over
 * time an add skips at most one id. Adding and answering cost one compare-and-set on a slot: no boxed key, no map
 * node, no rehash.
 *
 * @param <T> what the owner needs to finish a request
 */
public final class PendingRequests<T> {
    /** Requests one gate or node may wait for at once unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 65_536;
    /** The most a table may hold: its slots take 8 to 32 bytes per request of capacity, whether used or not. */
    public static final int MAX_CAPACITY = 1 << 24;

    private static final Comparator<Entry<?>> BY_DEADLINE = (a, b) -> {
        long d = a.deadline() - b.deadline(); // ticker readings: compare by difference, they may wrap
        return d != 0 ? Long.signum(d) : Long.compare(a.id(), b.id());
    };
    /** How far ahead of now "no deadline at all" lies: half the ticker's range, so differences never wrap. */
    private static final long NEVER = Long.MAX_VALUE / 2;

    private final Ticker ticker;
    private final int capacity;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger size = new AtomicInteger();
    /** Each entry at the slot {@code id & mask}; null where none. */
    private final AtomicReferenceArray<Entry<T>> slots;
    private final int mask;
    /** No entry's deadline is before this; {@link #expire()} has nothing to do until it passes. */
    private final AtomicLong earliestDeadline;

    /** A waiting request: where it went and when it gives up. */
    public record Entry<T>(long id, int nodeId, long deadline, T value) {
    }

    public PendingRequests(Ticker ticker) {
        this(ticker, DEFAULT_CAPACITY);
    }

    public PendingRequests(Ticker ticker, int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be between 1 and " + MAX_CAPACITY + ": " + capacity);
        }
        this.ticker = ticker;
        this.capacity = capacity;
        int slotCount = 1 << (Integer.SIZE - Integer.numberOfLeadingZeros(2 * capacity - 1));
        this.slots = new AtomicReferenceArray<>(slotCount);
        this.mask = slotCount - 1;
        this.earliestDeadline = new AtomicLong(ticker.nanoTime() + NEVER);
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
        long deadline = ticker.nanoTime() + timeoutNanos;
        while (true) {
            long id = ids.incrementAndGet();
            int slot = slot(id);
            if (id != 0 && slots.get(slot) == null) {
                Entry<T> entry = new Entry<>(id, nodeId, deadline, value);
                if (slots.compareAndSet(slot, null, entry)) {
                    // After the put: a walk that resets the bound after this lowering started after the put, and sees
                    // the entry.
                    lowerEarliest(deadline);
                    return id;
                }
            }
        }
    }

    /** Takes the entry for an answer; null when it already ended (late answers are dropped). */
    public Entry<T> complete(long id) {
        Entry<T> entry = slots.get(slot(id));
        return entry != null && entry.id() == id && take(slot(id), entry) ? entry : null;
    }

    /**
     * Takes the entry for an answer from {@code nodeId}; null when it already ended or was sent to another node, which
     * it still waits for: one node cannot answer, or end, another node's request.
     */
    public Entry<T> complete(long id, int nodeId) {
        Entry<T> entry = slots.get(slot(id));
        return entry != null && entry.id() == id && entry.nodeId() == nodeId && take(slot(id), entry) ? entry : null;
    }

    /** Takes every entry sent to {@code nodeId}: its link went down. A whole-table walk, once per lost link. */
    public List<Entry<T>> failNode(int nodeId) {
        return takeIf(e -> e.nodeId() == nodeId);
    }

    /**
     * Takes every entry past its deadline, in deadline order; walks the table only when the earliest deadline it may
     * hold has passed.
     */
    public List<Entry<T>> expire() {
        long now = ticker.nanoTime();
        if (now - earliestDeadline.get() < 0) {
            return List.of();
        }
        // Reset before the walk: an entry added meanwhile lowers the bound itself, one added before is walked.
        earliestDeadline.set(now + NEVER);
        List<Entry<T>> taken = takeIf(entry -> {
            boolean due = now - entry.deadline() >= 0;
            if (!due) {
                lowerEarliest(entry.deadline());
            }
            return due;
        });
        taken.sort(BY_DEADLINE);
        return taken;
    }

    private void lowerEarliest(long deadline) {
        for (long earliest = earliestDeadline.get(); deadline - earliest < 0;
                earliest = earliestDeadline.get()) {
            if (earliestDeadline.compareAndSet(earliest, deadline)) {
                return;
            }
        }
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

    private int slot(long id) {
        return (int) id & mask;
    }

    /** Empties the slot if it still holds this entry: of an answer, a walk and a failure racing, one takes it. */
    private boolean take(int slot, Entry<T> entry) {
        if (!slots.compareAndSet(slot, entry, null)) {
            return false;
        }
        size.decrementAndGet();
        return true;
    }

    private List<Entry<T>> takeIf(Predicate<Entry<T>> test) {
        List<Entry<T>> taken = new ArrayList<>();
        for (int slot = 0; slot < slots.length(); slot++) {
            Entry<T> entry = slots.get(slot);
            if (entry != null && test.test(entry) && take(slot, entry)) {
                taken.add(entry);
            }
        }
        return taken;
    }
}
