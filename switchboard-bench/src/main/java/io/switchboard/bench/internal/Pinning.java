package io.switchboard.bench.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Keeps generator and servers on separate CPUs with {@code taskset}: the generator (every thread of this JVM) on
 * the lower half, forked servers on the upper half. Where there is one CPU, or no {@code taskset}, nothing is pinned.
 */
public final class Pinning {
    /**
     * The CPUs this JVM may use before it pins itself: once pinned, {@code availableProcessors()} counts the
     * generator's half only, and the servers' half would come out empty.
     */
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private Pinning() {
    }

    /** The CPU list for forked servers, or null when pinning is off or impossible. */
    public static String serverCpus(boolean pin) {
        int cpus = CPUS;
        if (!pin || cpus < 2 || !tasksetRuns()) {
            return null;
        }
        return range(cpus / 2, cpus - 1);
    }

    /** Pins every thread of this JVM to the lower half of the CPUs; returns the list, or null when not pinned. */
    public static String pinGenerator(boolean pin) throws IOException, InterruptedException {
        int cpus = CPUS;
        if (!pin || cpus < 2 || !tasksetRuns()) {
            return null;
        }
        String list = range(0, cpus / 2 - 1);
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", list,
                String.valueOf(ProcessHandle.current().pid())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
            throw new IOException("taskset could not pin the generator to CPUs " + list);
        }
        return list;
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }

    private static boolean tasksetRuns() {
        try {
            Process p = new ProcessBuilder("taskset", "-p", String.valueOf(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
