package io.switchboard.common.id;

import java.time.Clock;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Snowflake ids for a process whose node id the registry assigns (DESIGN §5) after the process is built: the
 * generator is made on the first id asked for once the id is known, and kept. Before that an id is refused, rather
 * than issued under a node id another process may hold.
 */
public final class AssignedSnowflake implements LongSupplier {
    private final IntSupplier nodeId;
    private final Clock clock;
    private volatile Snowflake generator;

    /**
     * @param nodeId the assigned node id, 0..{@value Snowflake#MAX_NODE_ID}, or a negative number while unassigned
     */
    public AssignedSnowflake(IntSupplier nodeId, Clock clock) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The next id; throws {@link IllegalStateException} while no node id is assigned. */
    @Override
    public long getAsLong() {
        Snowflake ids = generator;
        if (ids == null) {
            synchronized (this) {
                ids = generator;
                if (ids == null) {
                    int assigned = nodeId.getAsInt();
                    if (assigned < 0) {
                        throw new IllegalStateException("no snowflake node id assigned yet");
                    }
                    ids = new Snowflake(assigned, clock);
                    generator = ids;
                }
            }
        }
        return ids.nextId();
    }

    /** The node id in use, or -1 before the first id. */
    public int nodeId() {
        Snowflake ids = generator;
        return ids == null ? -1 : ids.nodeId();
    }
}
