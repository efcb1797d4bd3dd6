package io.switchboard.cluster.protocol;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts refused frames by reason. One instance can be shared by the decoders of every link of a process
 * (it is thread-safe) and read by metrics.
 */
public final class FrameRejectionCounter implements FrameRejectionListener {
    private final Map<FrameRejectReason, LongAdder> counts = new EnumMap<>(FrameRejectReason.class);

    public FrameRejectionCounter() {
        // Filled once and never changed, so reads need no lock.
        for (FrameRejectReason reason : FrameRejectReason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    @Override
    public void frameRejected(FrameRejectReason reason) {
        counts.get(reason).increment();
    }

    /** Frames refused for {@code reason} so far. */
    public long count(FrameRejectReason reason) {
        return counts.get(reason).sum();
    }

    /** Frames refused for any reason so far. */
    public long total() {
        long total = 0;
        for (LongAdder count : counts.values()) {
            total += count.sum();
        }
        return total;
    }
}
