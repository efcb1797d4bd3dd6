package io.switchboard.bench.internal;

import io.switchboard.bench.BenchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class ServerCpuTest {

    @Test
    void readsUserAndKernelTicksAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 6000 0 3 0 1234 567 0 0 20 0 40 0 99 0 0";
        assertThat(ServerCpu.ticks(stat)).containsExactly(1234, 567);
    }

    @Test
    void chargesTheCpuTheServerProcessSpentInTheWindowToEachUnitOfWork() {
        assumeThat(Files.isReadable(Path.of("/proc/self/stat"))).as("Linux /proc").isTrue();
        BenchResult built = spendTwoTicks(Map.of("standalone", ProcessHandle.current().pid()), "request");
        assertThat(built.figure("server_user_us_per_request")).isGreaterThanOrEqualTo(20.0);
        assertThat(built.figures()).as("one process: no share of it").doesNotContainKey("standalone_cpu_us_per_request");
        assertThat(built.figure("server_cpu_us_per_request")).isEqualTo(built.figure("server_user_us_per_request")
                + built.figure("server_sys_us_per_request"), org.assertj.core.data.Offset.offset(0.002));
    }

    @Test
    void aServerOfSeveralProcessesGetsEachOnesShareToo() {
        assumeThat(Files.isReadable(Path.of("/proc/self/stat"))).as("Linux /proc").isTrue();
        long self = ProcessHandle.current().pid();
        Map<String, Long> processes = new java.util.LinkedHashMap<>();
        processes.put("gate", self);
        processes.put("node", self); // the same process twice: two equal shares of its CPU
        BenchResult built = spendTwoTicks(processes, "delivery");
        // The two reads of one process may fall on either side of a tick: equal within one tick (10 ms) per 1,000
        // units, 10 µs each.
        assertThat(built.figure("gate_cpu_us_per_delivery")).isPositive()
                .isCloseTo(built.figure("node_cpu_us_per_delivery"), org.assertj.core.data.Offset.offset(10.011));
        assertThat(built.figure("server_cpu_us_per_delivery")).isEqualTo(built.figure("gate_cpu_us_per_delivery")
                + built.figure("node_cpu_us_per_delivery"), org.assertj.core.data.Offset.offset(0.002));
    }

    @Test
    void tellsTheShareOfTheServersCpuTheJitCompilersTookAndNotesAWarmUpTooShort(@TempDir Path proc) throws Exception {
        writeStat(proc, "7", "java", 1000, 100);
        writeStat(proc, "7/task/7", "java", 500, 50);
        writeStat(proc, "7/task/8", "C2 CompilerThre", 300, 10);
        writeStat(proc, "7/task/9", "C1 CompilerThre", 40, 0);
        writeStat(proc, "7/task/10", "switchboard-gat", 160, 40);
        ServerCpu cpu = ServerCpu.start(proc, Map.of("gate", 7L));
        assertThat(cpu).isNotNull();
        // 100 ticks in the window: C2 thread 8 took 20, C1 thread 9 took 5, a C2 thread started meanwhile 5.
        writeStat(proc, "7", "java", 1090, 110);
        writeStat(proc, "7/task/8", "C2 CompilerThre", 315, 15);
        writeStat(proc, "7/task/9", "C1 CompilerThre", 45, 0);
        writeStat(proc, "7/task/11", "C2 CompilerThre", 4, 1);
        writeStat(proc, "7/task/10", "switchboard-gat", 220, 50);
        cpu.stop();
        BenchResult.Builder result = BenchResult.builder("t", "fake proc");
        cpu.addTo(result, 1000, "delivery");
        BenchResult built = result.build();
        // 100 ticks of 10 ms over 1,000 deliveries: 1 ms each.
        assertThat(built.figure("server_cpu_us_per_delivery")).isEqualTo(1000.0);
        assertThat(built.figure("server_jit_cpu_share")).isEqualTo(0.30);
        assertThat(built.notes()).anySatisfy(note -> assertThat(note).contains("JIT compilers took 30 %")
                .contains("--warmup"));
    }

    @Test
    void aFewCompilerTicksAreAFigureButNoNote(@TempDir Path proc) throws Exception {
        writeStat(proc, "7", "java", 1000, 100);
        writeStat(proc, "7/task/8", "C2 CompilerThre", 300, 10);
        ServerCpu cpu = ServerCpu.start(proc, Map.of("standalone", 7L));
        writeStat(proc, "7", "java", 1100, 100);
        writeStat(proc, "7/task/8", "C2 CompilerThre", 302, 10);
        cpu.stop();
        BenchResult.Builder result = BenchResult.builder("t", "fake proc");
        cpu.addTo(result, 1000, "request");
        BenchResult built = result.build();
        assertThat(built.figure("server_jit_cpu_share")).isEqualTo(0.02);
        assertThat(built.notes()).noneSatisfy(note -> assertThat(note).contains("JIT"));
    }

    @Test
    void findsThisJvmsOwnCompilerThreads() {
        assumeThat(Files.isReadable(Path.of("/proc/self/task"))).as("Linux /proc").isTrue();
        BenchResult built = spendTwoTicks(Map.of("standalone", ProcessHandle.current().pid()), "request");
        assertThat(built.figure("server_jit_cpu_share")).isBetween(0.0, 1.0);
    }

    /** A {@code stat} file of a process or thread named {@code name} with {@code user} and {@code system} ticks. */
    private static void writeStat(Path proc, String path, String name, long user, long system) throws Exception {
        Path dir = proc.resolve(path);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("stat"), "1 (" + name + ") S 1 1 1 0 -1 4194560 6000 0 3 0 " + user + " "
                + system + " 0 0 20 0 40 0 99 0 0");
    }

    @Test
    void aServerInThisProcessOrElsewhereHasNoFigure() {
        assertThat(ServerCpu.start(target(Map.of()))).isNull();
        assertThat(ServerCpu.start(target(Map.of("gone", Long.MAX_VALUE)))).as("no such process").isNull();
    }

    /**
     * A window over {@code processes} in which this process spends at least two ticks of user time (CPU spent, not
     * time waited), charged to 1,000 units.
     */
    private static BenchResult spendTwoTicks(Map<String, Long> processes, String unit) {
        ServerCpu cpu = ServerCpu.start(target(processes));
        assertThat(cpu).isNotNull();
        long[] before = ticksOfThisProcess();
        long spin = 0;
        while (ticksOfThisProcess()[0] < before[0] + 2) {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        cpu.stop();
        BenchResult.Builder result = BenchResult.builder("t", "spin " + spin);
        cpu.addTo(result, 1000, unit);
        return result.build();
    }

    private static long[] ticksOfThisProcess() {
        try {
            return ServerCpu.ticks(Files.readString(Path.of("/proc/self/stat")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RunningTarget target(Map<String, Long> processes) {
        return new RunningTarget() {
            @Override
            public String describe() {
                return "test";
            }

            @Override
            public InetSocketAddress address() {
                return new InetSocketAddress(0);
            }

            @Override
            public boolean websocket() {
                return false;
            }

            @Override
            public boolean sharesProcess() {
                return false;
            }

            @Override
            public Map<String, URI> metricsEndpoints() {
                return Map.of();
            }

            @Override
            public Map<String, Long> serverProcesses() {
                return processes;
            }

            @Override
            public MemorySample memory() {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }
}
