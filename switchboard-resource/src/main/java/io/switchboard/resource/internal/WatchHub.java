package io.switchboard.resource.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.Set;

/**
 * The blocking watches waiting for a change: each is a parked request on its channel, no thread. A change answers
 * those whose view moved past their index; the owner's tick answers those whose wait is over, by the injected ticker.
 * Bounded: past {@code max} parked watches a new one is refused (the client retries), so waiting requests cannot
 * grow without end. Confined to the manager's event loop.
 */
final class WatchHub {
    private final int max;
    private final Set<Watch> parked = new LinkedHashSet<>();
    /** Ordered by deadline, then arrival: removing one is O(log n), so answering thousands at once stays cheap. */
    private final NavigableSet<Watch> byDeadline = new TreeSet<>(Comparator.comparingLong(Watch::deadline)
            .thenComparingLong(Watch::sequence));

    WatchHub(int max, MeterRegistry meters) {
        this.max = max;
        Gauge.builder("switchboard.resource.watches", parked, Set::size)
                .description("Blocking watches waiting for a change").register(meters);
    }

    /** Parks {@code watch} until its view changes or its deadline; {@code false} when the hub is full. */
    boolean park(Watch watch) {
        if (parked.size() >= max) {
            return false;
        }
        parked.add(watch);
        byDeadline.add(watch);
        // No hook on the channel here: one per watch would stay on a keep-alive connection until it closes, and a
        // client parks thousands in a row on one. Its handler's one close hook calls cancel instead.
        return true;
    }

    /** Something changed: answers each watch whose view is past its index. */
    void changed() {
        for (Watch watch : new ArrayList<>(parked)) {
            if (watch.ready()) {
                answer(watch);
            }
        }
    }

    /** Answers the watches whose wait ended at or before {@code now} (ticker nanoseconds). */
    void expire(long now) {
        while (!byDeadline.isEmpty() && now - byDeadline.first().deadline() >= 0) {
            answer(byDeadline.first());
        }
    }

    int size() {
        return parked.size();
    }

    /** Answers every parked watch now (the server is closing). */
    void answerAll() {
        new ArrayList<>(parked).forEach(this::answer);
    }

    /** Drops {@code watch} unanswered (its client hung up); nothing happens when it is no longer parked. */
    void cancel(Watch watch) {
        parked.remove(watch);
        byDeadline.remove(watch);
    }

    private void answer(Watch watch) {
        cancel(watch);
        watch.answer();
    }
}
