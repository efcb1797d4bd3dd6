package io.switchboard.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * What a child process that should survive a fault had before it: live threads, and heap and direct memory after a
 * full GC. After recovery each must be back within {@value #THREAD_SLACK} threads (pools that start their threads
 * lazily) and within {@link HeapAndDirect}'s bound.
 */
record SurvivorBaseline(long threads, HeapAndDirect memory) {
    static final int THREAD_SLACK = 4;

    /** The baselines of {@code processes}, in their order. */
    static Map<ChildProcess, SurvivorBaseline> of(List<ChildProcess> processes) throws Exception {
        Map<ChildProcess, SurvivorBaseline> before = new LinkedHashMap<>();
        for (ChildProcess process : processes) {
            before.put(process, new SurvivorBaseline(process.liveThreads(), process.memory()));
        }
        return before;
    }

    /** Waits (at most {@code atMost} each) until every survivor is back; the memory figures, for a FAULT line. */
    static String assertNoGrowth(Map<ChildProcess, SurvivorBaseline> before, Duration atMost) {
        StringBuilder figures = new StringBuilder();
        before.forEach((process, baseline) -> {
            await(process.id() + " has no more threads than before the fault").atMost(atMost)
                    .until(() -> process.liveThreads() <= baseline.threads() + THREAD_SLACK);
            HeapAndDirect after = baseline.memory().awaitNoGrowth(process.id(), process::memory, atMost);
            figures.append(" | ").append(process.id()).append(' ').append(baseline.memory().to(after));
        });
        return figures.toString();
    }
}
