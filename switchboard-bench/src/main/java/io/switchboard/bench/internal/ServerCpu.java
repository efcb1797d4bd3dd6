package io.switchboard.bench.internal;

import io.switchboard.bench.BenchResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU time the server processes spent over a measured window, user and kernel apart, per unit of work. On a
 * shared machine the rate a server reaches moves with its neighbours' load, while the CPU it spends per request
 * moves far less, and the split shows whether a cost is the framework's own (user) or the system calls it makes.
 * Read from {@code /proc/<pid>/stat}, so only for servers in processes of their own on Linux.
 */
final class ServerCpu {
    /** {@code /proc} counts CPU time in USER_HZ ticks, 100 per second on Linux whatever the kernel's own tick. */
    private static final double NANOS_PER_TICK = 1e9 / 100;
    /** utime and stime, counted among the fields after the command name's closing parenthesis (state is 0). */
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;

    private final List<Long> pids;
    private final long[] start;
    private long[] end;

    private ServerCpu(List<Long> pids, long[] start) {
        this.pids = pids;
        this.start = start;
    }

    /** Starts a window over the target's server processes; {@code null} when their CPU time cannot be read. */
    static ServerCpu start(RunningTarget target) {
        List<Long> pids = target.serverPids();
        long[] now = read(pids);
        return now == null ? null : new ServerCpu(pids, now);
    }

    /** Ends the window. */
    void stop() {
        end = read(pids);
    }

    /**
     * Adds {@code server_cpu_us_per_<unit>} (user and kernel together) and its user and kernel parts, for {@code count}
     * units of work done in the window; nothing when the window's end could not be read.
     */
    void addTo(BenchResult.Builder result, long count, String unit) {
        if (end == null || count <= 0) {
            return;
        }
        double user = (end[0] - start[0]) * NANOS_PER_TICK / 1000 / count;
        double system = (end[1] - start[1]) * NANOS_PER_TICK / 1000 / count;
        result.figure("server_cpu_us_per_" + unit, round(user + system))
                .figure("server_user_us_per_" + unit, round(user))
                .figure("server_sys_us_per_" + unit, round(system));
    }

    /** Summed user and kernel ticks of the processes, or {@code null} when there are none or one cannot be read. */
    private static long[] read(List<Long> pids) {
        if (pids.isEmpty()) {
            return null;
        }
        long[] ticks = new long[2];
        for (long pid : pids) {
            try {
                long[] process = ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
                ticks[0] += process[0];
                ticks[1] += process[1];
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return ticks;
    }

    /** User and kernel ticks from the text of a {@code /proc/<pid>/stat}. */
    static long[] ticks(String stat) {
        // The command name may hold spaces and parentheses: the fields start after its last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split(" ");
        return new long[] {Long.parseLong(fields[UTIME_AFTER_COMM]), Long.parseLong(fields[STIME_AFTER_COMM])};
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
