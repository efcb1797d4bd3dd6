package io.switchboard.cluster;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * Heap used after a forced full GC, and direct buffer memory, of one JVM: what a fault test compares before the
 * fault and after recovery. Growth is allowed up to the larger of {@value #SLACK_MIB} MiB and {@value #SLACK_PERCENT}
 * % of the figure before (a pool that starts lazily, a JIT-compiled path, the load's own bookkeeping), per figure.
 */
record HeapAndDirect(long heap, long direct) {
    static final long SLACK_MIB = 16;
    static final long SLACK_PERCENT = 25;
    private static final long MIB = 1024 * 1024;

    /** This JVM (the test's in-process gates and nodes, and the test itself) after a full GC. */
    static HeapAndDirect ofThisJvm() {
        ManagementFactory.getMemoryMXBean().gc();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return new HeapAndDirect(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), direct);
    }

    private static long bound(long before) {
        return before + Math.max(SLACK_MIB * MIB, before * SLACK_PERCENT / 100);
    }

    boolean allows(HeapAndDirect after) {
        return after.heap <= bound(heap) && after.direct <= bound(direct);
    }

    /**
     * Measures again (each time after a full GC) until the figures are within the bound of {@code this}, the
     * figures before the fault; fails after {@code atMost} with the last ones. Returns the figures it settled on.
     */
    HeapAndDirect awaitNoGrowth(String who, Supplier<HeapAndDirect> measure, Duration atMost) {
        HeapAndDirect[] last = new HeapAndDirect[1];
        await(who + ": heap and direct memory back within bound of " + this).atMost(atMost)
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    last[0] = measure.get();
                    return allows(last[0]);
                });
        return last[0];
    }

    /** "heap 12.3→13.0 MiB, direct 5.3→5.3 MiB", for a FAULT line. */
    String to(HeapAndDirect after) {
        return String.format("heap %.1f→%.1f MiB, direct %.1f→%.1f MiB", heap / (double) MIB,
                after.heap / (double) MIB, direct / (double) MIB, after.direct / (double) MIB);
    }

    @Override
    public String toString() {
        return String.format("heap %.1f MiB, direct %.1f MiB", heap / (double) MIB, direct / (double) MIB);
    }
}
