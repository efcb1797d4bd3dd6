package io.switchboard.daemon.machine;

/**
 * One process of a machine as its daemon sees it: its spec's name and type, its state, its pid (0 when none runs),
 * when it started (epoch ms, 0 when not running), how many times it was started (globaldb's {@code startcount}),
 * restarts since an operator last started it, and a detail for people (last exit code, why it is FATAL or hung).
 */
public record ProcessStatus(String name, String type, ProcessState state, long pid, long startedAtMillis,
                            long startCount, int restarts, String detail) {
}
