package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The pushes of one session a resume may need to send again, as encoded packages, numbered from 1 in the order they
 * went (or would have gone) to the client: the latest ones, up to a cap on their bytes. A client's {@code received}
 * count is the number of the last push it got. Not thread-safe: its session guards it.
 */
final class PushBuffer {
    private record Entry(long number, ByteBuf pkg) {
    }

    private final int maxBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long sent;
    private long bytes;

    PushBuffer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** How many pushes the session has had: a client that got them all reports this many. */
    long sent() {
        return sent;
    }

    /** The bytes held. */
    long bytes() {
        return bytes;
    }

    /**
     * Keeps {@code pkg} (taking ownership) as the next push, dropping the oldest ones over the cap; returns the number
     * of the newest push dropped, 0 when none was.
     */
    long add(ByteBuf pkg) {
        sent++;
        entries.addLast(new Entry(sent, pkg));
        bytes += pkg.readableBytes();
        long dropped = 0;
        while (bytes > maxBytes) {
            Entry oldest = entries.removeFirst();
            bytes -= oldest.pkg().readableBytes();
            oldest.pkg().release();
            dropped = oldest.number();
        }
        return dropped;
    }

    /** Whether every push after {@code received} is still here (and the count is one this session could have). */
    boolean covers(long received) {
        if (received < 0 || received > sent) {
            return false;
        }
        long oldest = entries.isEmpty() ? sent + 1 : entries.peekFirst().number();
        return received + 1 >= oldest;
    }

    /** Retained duplicates of the pushes after {@code received}, in order; call only when {@link #covers} says so. */
    List<ByteBuf> after(long received) {
        List<ByteBuf> replay = new ArrayList<>();
        for (Entry e : entries) {
            if (e.number() > received) {
                replay.add(e.pkg().retainedDuplicate());
            }
        }
        return replay;
    }

    /** Gives every buffer back; the count stays. */
    void release() {
        for (Entry e : entries) {
            e.pkg().release();
        }
        entries.clear();
        bytes = 0;
    }
}
