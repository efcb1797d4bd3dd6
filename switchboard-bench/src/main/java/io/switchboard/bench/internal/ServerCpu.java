package io.switchboard.bench.internal;

import io.switchboard.bench.BenchResult;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU time the server processes spent over a measured window, user and kernel apart, per unit of work. On a
 * shared machine the rate a server reaches moves with its neighbours' load, while the CPU it spends per request
 * moves less, and the split shows whether a cost is the framework's own (user) or the system calls it makes.
 * It also tells how much of that time HotSpot's JIT compiler threads took: a server still compiling is measured
 * before it is warm, and a cluster of several JVMs takes longer to get there than one.
 * Read from {@code /proc/<pid>/stat} and its threads' {@code /proc/<pid>/task/<tid>/stat}, so only for servers in
 * processes of their own on Linux.
 */
final class ServerCpu {
    /** {@code /proc} counts CPU time in USER_HZ ticks, 100 per second on Linux whatever the kernel's own tick. */
    private static final double NANOS_PER_TICK = 1e9 / 100;
    /** utime and stime, counted among the fields after the command name's closing parenthesis (state is 0). */
    private static final int UTIME_AFTER_COMM = 11;
    private static final int STIME_AFTER_COMM = 12;
    /** HotSpot's compiler threads are "C1 CompilerThreadN" and "C2 CompilerThreadN", cut to 15 characters by Linux. */
    private static final String C1_COMPILER = "C1 CompilerThre";
    private static final String C2_COMPILER = "C2 CompilerThre";
    /** Above this share of the servers' CPU spent compiling, the report says the warm-up was too short. */
    static final double JIT_SHARE_NOTED = 0.05;
    private static final int USER = 0;
    private static final int SYSTEM = 1;

    /** One process's ticks at one moment: its own, and each of its compiler threads' by thread id. */
    private record Sample(long user, long system, Map<String, Long> compilers) {
        /**
         * The compiler threads' ticks since {@code earlier}: a thread started since counts all of its own, one that
         * ended took its ticks with it and counts none (so this is a lower bound while C2 retires threads).
         */
        long compilerTicksSince(Sample earlier) {
            long sum = 0;
            for (Map.Entry<String, Long> thread : compilers.entrySet()) {
                sum += thread.getValue() - earlier.compilers.getOrDefault(thread.getKey(), 0L);
            }
            return sum;
        }
    }

    private final Path proc;

    private final Map<String, Long> processes;
    private final Map<String, Sample> start;
    private Map<String, Sample> end;

    private ServerCpu(Path proc, Map<String, Long> processes, Map<String, Sample> start) {
        this.proc = proc;
        this.processes = processes;
        this.start = start;
    }

    /** Starts a window over the target's server processes; {@code null} when their CPU time cannot be read. */
    static ServerCpu start(RunningTarget target) {
        return start(Path.of("/proc"), target.serverProcesses());
    }

    /** As {@link #start(RunningTarget)}, reading {@code proc} as {@code /proc}. */
    static ServerCpu start(Path proc, Map<String, Long> processes) {
        Map<String, Sample> now = read(proc, processes);
        return now == null ? null : new ServerCpu(proc, processes, now);
    }

    /** Ends the window. */
    void stop() {
        end = read(proc, processes);
    }

    /**
     * Adds {@code server_cpu_us_per_<unit>} (user and kernel together) and its user and kernel parts, for {@code count}
     * units of work done in the window, and for a server of several processes each one's share as
     * {@code <kind>_cpu_us_per_<unit>}; and {@code server_jit_cpu_share}, the part of it the JIT compiler threads
     * took, with a note when that is over {@link #JIT_SHARE_NOTED}. Nothing when the window's end could not be read.
     */
    void addTo(BenchResult.Builder result, long count, String unit) {
        if (end == null || count <= 0) {
            return;
        }
        long userTicks = 0;
        long systemTicks = 0;
        long jitTicks = 0;
        Map<String, Double> byKind = new LinkedHashMap<>();
        for (String kind : processes.keySet()) {
            Sample before = start.get(kind);
            Sample after = end.get(kind);
            long u = after.user() - before.user();
            long s = after.system() - before.system();
            userTicks += u;
            systemTicks += s;
            jitTicks += after.compilerTicksSince(before);
            byKind.put(kind, perUnit(u + s, count));
        }
        double user = perUnit(userTicks, count);
        double system = perUnit(systemTicks, count);
        result.figure("server_cpu_us_per_" + unit, round(user + system))
                .figure("server_user_us_per_" + unit, round(user))
                .figure("server_sys_us_per_" + unit, round(system));
        if (byKind.size() > 1) {
            byKind.forEach((kind, cpu) -> result.figure(kind + "_cpu_us_per_" + unit, round(cpu)));
        }
        long total = userTicks + systemTicks;
        if (total > 0) {
            // A compiler thread's ticks are part of its process's, so the share is at most 1.
            double share = Math.min(1.0, jitTicks / (double) total);
            result.figure("server_jit_cpu_share", Math.round(share * 100) / 100.0);
            if (share > JIT_SHARE_NOTED) {
                result.note(String.format(Locale.ROOT, "the JIT compilers took %.0f %% of the servers' CPU"
                        + " while measuring: they were not warm yet; a longer --warmup measures warm code", share * 100));
            }
        }
    }

    private static double perUnit(long ticks, long count) {
        return ticks * NANOS_PER_TICK / 1000 / count;
    }

    /**
     * Each process's user, kernel and JIT compiler ticks, or {@code null} when there are none or one cannot be read.
     */
    private static Map<String, Sample> read(Path proc, Map<String, Long> processes) {
        if (processes.isEmpty()) {
            return null;
        }
        Map<String, Sample> ticks = new LinkedHashMap<>();
        try {
            // The processes' own counts first, read back to back, then their threads'.
            Map<String, long[]> own = new LinkedHashMap<>();
            for (Map.Entry<String, Long> process : processes.entrySet()) {
                own.put(process.getKey(), ticks(Files.readString(proc.resolve(process.getValue() + "/stat"))));
            }
            for (Map.Entry<String, Long> process : processes.entrySet()) {
                long[] t = own.get(process.getKey());
                ticks.put(process.getKey(), new Sample(t[USER], t[SYSTEM],
                        compilerTicks(proc.resolve(process.getValue() + "/task"))));
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return ticks;
    }

    /** User and kernel ticks of each JIT compiler thread among {@code tasks}, by thread id. */
    private static Map<String, Long> compilerTicks(Path tasks) throws IOException {
        Map<String, Long> compilers = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException gone) {
                    continue; // threads come and go; C2 adds and retires compiler threads as its queue grows
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith(C1_COMPILER) || name.startsWith(C2_COMPILER)) {
                    long[] t = ticks(stat);
                    compilers.put(thread.getFileName().toString(), t[USER] + t[SYSTEM]);
                }
            }
        }
        return compilers;
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
