package io.switchboard.events.amqp.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every event from its publish until the broker confirms it: waiting to be sent, or sent and unconfirmed. Bounded
 * by count and bytes over both, so an absent broker costs a fixed amount of memory; a full buffer refuses (the
 * caller counts the drop) and never waits. Unconfirmed events are keyed by the channel's publish sequence number,
 * under a generation that changes with each channel, so a late confirm of a dead channel cannot confirm an event sent
 * again on the next one. Thread-safe; every method holds the lock only briefly.
 */
public final class EventBuffer {
    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<Event> waiting = new ArrayDeque<>();
    private final NavigableMap<Long, Event> unconfirmed = new TreeMap<>();
    private long generation;
    private int events;
    private long bytes;
    // What the broker said since the publisher last looked (takeOutcome): it paces sends while the broker refuses.
    private boolean accepted;
    private boolean refused;

    public EventBuffer(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("the event buffer needs room for at least one event");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Keeps {@code event} to be sent; false (nothing kept) when it would pass the count or byte limit. */
    public synchronized boolean offer(Event event) {
        if (events + 1 > maxEvents || bytes + event.size() > maxBytes) {
            return false;
        }
        waiting.addLast(event);
        events++;
        bytes += event.size();
        return true;
    }

    /** The next event to send, or {@code null}; it stays counted until confirmed. */
    public synchronized Event next() {
        return waiting.pollFirst();
    }

    /** {@code event} went out on the channel of {@code generation} as {@code sequence}. */
    public synchronized void sent(long generation, long sequence, Event event) {
        if (generation != this.generation) {
            waiting.addFirst(event); // the channel died meanwhile: send it on the next one
            return;
        }
        unconfirmed.put(sequence, event);
    }

    /** {@code event} could not be handed to the channel: it goes first next time. */
    public synchronized void unsent(Event event) {
        waiting.addFirst(event);
    }

    /** The broker took {@code sequence} (and all before it when {@code multiple}); returns how many were released. */
    public synchronized int confirmed(long generation, long sequence, boolean multiple) {
        int settled = settle(generation, sequence, multiple, event -> {
            events--;
            bytes -= event.size();
        });
        accepted |= settled > 0;
        return settled;
    }

    /** The broker refused {@code sequence} (and before, when {@code multiple}): they are sent again, in order. */
    public synchronized int nacked(long generation, long sequence, boolean multiple) {
        int settled = settle(generation, sequence, multiple, waiting::addFirst);
        refused |= settled > 0;
        return settled;
    }

    /** What the broker said of the events settled since the last call. */
    public enum Outcome { NONE, ACCEPTED, REFUSED }

    /** {@link Outcome#REFUSED} if the broker refused any event since the last call, else whether it took any. */
    public synchronized Outcome takeOutcome() {
        Outcome outcome = refused ? Outcome.REFUSED : accepted ? Outcome.ACCEPTED : Outcome.NONE;
        accepted = false;
        refused = false;
        return outcome;
    }

    /** Whether the broker refused an event since the last {@link #takeOutcome()}. */
    public synchronized boolean refused() {
        return refused;
    }

    /** Gives up {@code event} if it is the next to send (where a refused event waits); true when it was. */
    public synchronized boolean dropFirst(Event event) {
        if (waiting.peekFirst() != event) {
            return false;
        }
        waiting.pollFirst();
        events--;
        bytes -= event.size();
        return true;
    }

    private int settle(long generation, long sequence, boolean multiple, Consumer<Event> action) {
        if (generation != this.generation) {
            return 0;
        }
        NavigableMap<Long, Event> settled = multiple ? unconfirmed.headMap(sequence, true)
                : unconfirmed.subMap(sequence, true, sequence, true);
        // Newest first, so events put back with addFirst keep their order.
        List<Event> list = List.copyOf(settled.descendingMap().values());
        settled.clear();
        list.forEach(action);
        return list.size();
    }

    /**
     * The channel is gone: every unconfirmed event goes back in front of the waiting ones, in order, to be sent again
     * (so a consumer may see it twice), and a new generation starts. Returns the new generation.
     */
    public synchronized long newChannel() {
        Iterator<Event> newestFirst = unconfirmed.descendingMap().values().iterator();
        while (newestFirst.hasNext()) {
            waiting.addFirst(newestFirst.next());
        }
        unconfirmed.clear();
        return ++generation;
    }

    /** Events kept, waiting or unconfirmed. */
    public synchronized int size() {
        return events;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized boolean isEmpty() {
        return events == 0;
    }

    public synchronized int unconfirmed() {
        return unconfirmed.size();
    }
}
