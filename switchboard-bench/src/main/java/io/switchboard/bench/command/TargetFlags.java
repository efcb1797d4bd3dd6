package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Option;

import java.util.List;

import static io.switchboard.bench.command.ScenarioCommand.DEFAULTS;

/** What a load scenario measures and where a local server runs. */
final class TargetFlags implements SharedFlags {

    @Option(names = "--target", paramLabel = "TARGET", description = "baseline (the raw-Netty BaselineServer), "
            + "standalone (the demo server), cluster (ZooKeeper, a gate and a demo node in child JVMs), or tcp://host:port / ws://host:port of any server with the demo routes "
            + "(default ${DEFAULT-VALUE}).")
    String target = DEFAULTS.target();

    @Option(names = "--compare", description = "Run against baseline, then standalone, and report Switchboard ÷ "
            + "baseline (instead of --target).")
    boolean compare;

    @Option(names = "--with-cluster", description = "With --compare: measure the cluster too, and report cluster "
            + "÷ baseline and cluster ÷ standalone.")
    boolean withCluster;

    @Option(names = "--repeat", paramLabel = "N", converter = Converters.Positive.class,
            description = "With --compare: measure the compared targets in N rounds, one after the other, and report "
                    + "each round's ratios and each ratio's median (default ${DEFAULT-VALUE}).")
    int repeats = DEFAULTS.repeats();

    @Option(names = "--pin", description = "Pin the generator to the lower half of the CPUs and forked servers to "
            + "the upper half (taskset).")
    boolean pin;

    @Option(names = "--ws", description = "Talk WebSocket rather than raw TCP (always for a ws:// target).")
    boolean websocket;

    /** Unset: the scenario's default (BenchOptions#fork). */
    private Boolean fork;

    @Option(names = "--fork", description = "Run a local target in a child JVM, so its heap holds the server alone "
            + "(the default for connections).")
    void fork(boolean unused) {
        fork = true;
    }

    @Option(names = "--in-process", description = "Run a local target in this JVM (the default but for connections).")
    void inProcess(boolean unused) {
        fork = false;
    }

    @Option(names = "--server-jvm-args", paramLabel = "'ARGS'",
            description = "JVM options of a forked server, as one word: '-Xmx2g -XX:+UseZGC'; {kind} in them is the "
                    + "process's kind (baseline, standalone, gate, node), e.g. "
                    + "'-XX:StartFlightRecording=filename=/tmp/{kind}.jfr'.")
    String serverJvmArgs = String.join(" ", DEFAULTS.serverJvmArgs());

    @Option(names = "--server-threads", paramLabel = "N", converter = Converters.Positive.class,
            description = "I/O threads of a local server (default ${DEFAULT-VALUE}, the cores).")
    int serverThreads = DEFAULTS.serverThreads();

    @Option(names = "--metrics", paramLabel = "URL", description = "A remote target's Prometheus endpoint, "
            + "http://host:port/metrics, for its memory and connections.")
    String metricsUrl = DEFAULTS.metricsUrl();

    @Override
    public void applyTo(BenchOptions.Builder options) {
        options.target(target).compare(compare).withCluster(withCluster).repeats(repeats).pin(pin).websocket(websocket)
                .serverJvmArgs(serverJvmArgs.isBlank() ? List.of() : List.of(serverJvmArgs.trim().split("\\s+")))
                .serverThreads(serverThreads).metricsUrl(metricsUrl);
        if (fork != null) {
            options.fork(fork);
        }
    }
}
