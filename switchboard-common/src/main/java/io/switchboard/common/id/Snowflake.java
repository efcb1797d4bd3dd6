package io.switchboard.common.id;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Issues 64-bit snowflake ids (DESIGN §6), unique across a cluster as long as each live node has its own node id:
 *
 * <pre>
 * bit 63      sign, always 0 (ids are positive longs)
 * bits 62..22 milliseconds since {@link #EPOCH} (41 bits: until 2093-09-06)
 * bits 21..12 node id (10 bits: 0..1023, assigned by the registry)
 * bits 11..0  sequence within the millisecond (12 bits: 4096 ids)
 * </pre>
 *
 * Ids of one generator strictly increase. When a millisecond's 4096 ids are used up, {@link #nextId()} waits for
 * the next millisecond, so a node issues at most 4,096,000 ids a second. If the clock steps back by at most
 * {@link #MAX_CLOCK_BACKWARD_MILLIS} it waits for the clock to catch up; further back it throws
 * {@link ClockMovedBackwardsException} rather than risk duplicates.
 *
 * <p>Thread-safe without locks: the last issued millisecond and sequence share one {@link AtomicLong}, advanced by
 * compare-and-set. Waiting spins on the clock, since the waits are at most a few milliseconds.
 */
public final class Snowflake {
    /** The zero of the timestamp field: 2024-01-01T00:00:00Z. */
    public static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    /** {@link #EPOCH} in milliseconds since the Unix epoch. */
    public static final long EPOCH_MILLIS = EPOCH.toEpochMilli();

    public static final int TIMESTAMP_BITS = 41;
    public static final int NODE_ID_BITS = 10;
    public static final int SEQUENCE_BITS = 12;
    public static final int NODE_ID_SHIFT = SEQUENCE_BITS;
    public static final int TIMESTAMP_SHIFT = NODE_ID_SHIFT + NODE_ID_BITS;

    public static final int MAX_NODE_ID = (1 << NODE_ID_BITS) - 1;
    public static final int MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1;
    /** The largest timestamp field, in milliseconds since {@link #EPOCH}. */
    public static final long MAX_TIMESTAMP = (1L << TIMESTAMP_BITS) - 1;
    /** How far back the clock may step and be waited for rather than refused. */
    public static final long MAX_CLOCK_BACKWARD_MILLIS = 5;

    private final int nodeId;
    private final long nodeBits;
    private final LongSupplier epochMillisClock;
    /** {@code (milliseconds since EPOCH << SEQUENCE_BITS) | sequence} of the last id issued. */
    private final AtomicLong last = new AtomicLong();

    /** A generator on the system clock. */
    public Snowflake(int nodeId) {
        this(nodeId, System::currentTimeMillis);
    }

    /** A generator on {@code clock}'s milliseconds. */
    public Snowflake(int nodeId, Clock clock) {
        this(nodeId, Objects.requireNonNull(clock, "clock")::millis);
    }

    /**
     * @param nodeId           0..{@value #MAX_NODE_ID}, unique among live nodes
     * @param epochMillisClock milliseconds since the Unix epoch, like {@link System#currentTimeMillis()}
     */
    public Snowflake(int nodeId, LongSupplier epochMillisClock) {
        this.nodeId = checkNodeId(nodeId);
        this.nodeBits = (long) nodeId << NODE_ID_SHIFT;
        this.epochMillisClock = Objects.requireNonNull(epochMillisClock, "epochMillisClock");
    }

    public int nodeId() {
        return nodeId;
    }

    /**
     * The next id: greater than every id this generator issued before.
     *
     * @throws ClockMovedBackwardsException if the clock is more than {@value #MAX_CLOCK_BACKWARD_MILLIS} ms behind
     *                                      the last id issued
     * @throws IllegalStateException        if the clock is before {@link #EPOCH} or past what 41 bits can hold
     */
    public long nextId() {
        for (;;) {
            long previous = last.get();
            long previousMillis = previous >>> SEQUENCE_BITS;
            long nowMillis = millisSinceEpoch();
            long next;
            if (nowMillis > previousMillis) {
                next = nowMillis << SEQUENCE_BITS;
            } else if (nowMillis == previousMillis) {
                if ((previous & MAX_SEQUENCE) == MAX_SEQUENCE) {
                    // This millisecond is used up: wait for the next.
                    Thread.onSpinWait();
                    continue;
                }
                next = previous + 1;
            } else {
                long behind = previousMillis - nowMillis;
                if (behind > MAX_CLOCK_BACKWARD_MILLIS) {
                    throw new ClockMovedBackwardsException(behind, MAX_CLOCK_BACKWARD_MILLIS);
                }
                // A small step back (an NTP slew, a VM pause): wait until the clock is where it was.
                Thread.onSpinWait();
                continue;
            }
            if (last.compareAndSet(previous, next)) {
                return ((next >>> SEQUENCE_BITS) << TIMESTAMP_SHIFT) | nodeBits | (next & MAX_SEQUENCE);
            }
        }
    }

    private long millisSinceEpoch() {
        long epochMillis = epochMillisClock.getAsLong();
        long millis = epochMillis - EPOCH_MILLIS;
        if (millis < 0 || millis > MAX_TIMESTAMP) {
            throw new IllegalStateException("clock at " + Instant.ofEpochMilli(epochMillis)
                    + " is outside the snowflake range " + EPOCH + " .. " + Instant.ofEpochMilli(EPOCH_MILLIS
                    + MAX_TIMESTAMP));
        }
        return millis;
    }

    /** The id made of these fields; the smallest id of a millisecond has node 0 and sequence 0. */
    public static long compose(long epochMillis, int nodeId, int sequence) {
        long millis = epochMillis - EPOCH_MILLIS;
        if (millis < 0 || millis > MAX_TIMESTAMP) {
            throw new IllegalArgumentException("epochMillis outside the snowflake range: " + epochMillis);
        }
        checkNodeId(nodeId);
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence must be 0.." + MAX_SEQUENCE + ": " + sequence);
        }
        return (millis << TIMESTAMP_SHIFT) | ((long) nodeId << NODE_ID_SHIFT) | sequence;
    }

    /** When {@code id} was issued, in milliseconds since the Unix epoch. */
    public static long timestampMillisOf(long id) {
        return (id >>> TIMESTAMP_SHIFT) + EPOCH_MILLIS;
    }

    /** When {@code id} was issued. */
    public static Instant instantOf(long id) {
        return Instant.ofEpochMilli(timestampMillisOf(id));
    }

    /** The node that issued {@code id}. */
    public static int nodeIdOf(long id) {
        return (int) (id >>> NODE_ID_SHIFT) & MAX_NODE_ID;
    }

    /** {@code id}'s place among the ids its node issued in the same millisecond. */
    public static int sequenceOf(long id) {
        return (int) id & MAX_SEQUENCE;
    }

    private static int checkNodeId(int nodeId) {
        if (nodeId < 0 || nodeId > MAX_NODE_ID) {
            throw new IllegalArgumentException("node id must be 0.." + MAX_NODE_ID + ": " + nodeId);
        }
        return nodeId;
    }
}
