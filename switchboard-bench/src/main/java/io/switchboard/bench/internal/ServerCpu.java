package io.switchboard.bench.internal;

import io.switchboard.bench.BenchResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time the server processes spent over a measured window, user and kernel apart, per unit of work. On a
 * shared machine the rate a server reaches moves with its neighbours' load, while the CPU it spends per request
 * moves less, and the split shows whether a cost is the framework's own (user) or the system calls it makes.
 * Read from {@code /proc/<pid>/stat}, so only for servers in processes of their own on Linux.
 */
final class ServerCpu {
    /** {@code /proc} counts CPU time in USER_HZ ticks, 100 per second on Linux whatever the kernel's own tick. */
    private static final double NANOS_PER_TICK = 1e9 / 100;
    /** utime and stime, counted among the fields after the command name's closing parenthesis (state is 0). */
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;

    private final Map<String, Long> processes;
    private final Map<String, long[]> start;
    private Map<String, long[]> end;

    private ServerCpu(Map<String, Long> processes, Map<String, long[]> start) {
        this.processes = processes;
        this.start = start;
    }

    /** Starts a window over the target's server processes; {@code null} when their CPU time cannot be read. */
    static ServerCpu start(RunningTarget target) {
        Map<String, Long> processes = target.serverProcesses();
        Map<String, long[]> now = read(processes);
        return now == null ? null : new ServerCpu(processes, now);
    }

    /** Ends the window. */
    void stop() {
        end = read(processes);
    }

    /**
     * Adds {@code server_cpu_us_per_<unit>} (user and kernel together) and its user and kernel parts, for {@code count}
     * units of work done in the window, and for a server of several processes each one's share as
     * {@code <kind>_cpu_us_per_<unit>}; nothing when the window's end could not be read.
     */
    void addTo(BenchResult.Builder result, long count, String unit) {
        if (end == null || count <= 0) {
            return;
        }
        double user = 0;
        double system = 0;
        Map<String, Double> byKind = new LinkedHashMap<>();
        for (String kind : processes.keySet()) {
            double u = perUnit(end.get(kind)[0] - start.get(kind)[0], count);
            double s = perUnit(end.get(kind)[1] - start.get(kind)[1], count);
            user += u;
            system += s;
            byKind.put(kind, u + s);
        }
        result.figure("server_cpu_us_per_" + unit, round(user + system))
                .figure("server_user_us_per_" + unit, round(user))
                .figure("server_sys_us_per_" + unit, round(system));
        if (byKind.size() > 1) {
            byKind.forEach((kind, cpu) -> result.figure(kind + "_cpu_us_per_" + unit, round(cpu)));
        }
    }

    private static double perUnit(long ticks, long count) {
        return ticks * NANOS_PER_TICK / 1000 / count;
    }

    /** Each process's user and kernel ticks, or {@code null} when there are none or one cannot be read. */
    private static Map<String, long[]> read(Map<String, Long> processes) {
        if (processes.isEmpty()) {
            return null;
        }
        Map<String, long[]> ticks = new LinkedHashMap<>();
        for (Map.Entry<String, Long> process : processes.entrySet()) {
            try {
                ticks.put(process.getKey(), ticks(Files.readString(Path.of("/proc", process.getValue().toString(),
                        "stat"))));
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
