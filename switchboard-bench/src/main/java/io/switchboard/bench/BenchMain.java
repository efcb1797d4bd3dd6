package io.switchboard.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The bench module's own entry point, for running it from its jar without the {@code switchboard} command:
 * {@code java -cp <class path> io.switchboard.bench.BenchMain echo --compare --connections 50}. The flags are
 * those {@link BenchOptions#toString()} prints, so every report carries the line that reproduces it.
 * Exits 0 when every run went as intended, 1 when one had problems, 2 on bad arguments.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err));
    }

    /** Runs a scenario from command-line words; returns the exit code (0 ok, 1 problems, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        BenchOptions options;
        String json;
        try {
            if (args.length == 0 || args[0].startsWith("-")) {
                throw new IllegalArgumentException("usage: BenchMain echo|broadcast|connections|churn|jmh [flags]");
            }
            BenchOptions.Builder b = BenchOptions.builder().scenario(Scenario.of(args[0]));
            json = parse(b, Arrays.asList(args).subList(1, args.length));
            options = b.build();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        BenchReport report = BenchRunner.run(options, out);
        if (json != null) {
            Files.writeString(Path.of(json), report.json());
        }
        return report.ok() ? 0 : 1;
    }

    /** Applies the flags to the builder; returns the JSON report path, if one was asked for. */
    static String parse(BenchOptions.Builder b, List<String> args) {
        String json = null;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--ws" -> b.websocket(true);
                case "--compare" -> b.compare(true);
                case "--fork" -> b.fork(true);
                case "--in-process" -> b.fork(false);
                case "--half-rate" -> b.halfRate(true);
                default -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    String v = args.get(++i);
                    switch (flag) {
                        case "--target" -> b.target(v);
                        case "--server-jvm-args" -> b.serverJvmArgs(List.of(v.trim().split("\\s+")));
                        case "--client-threads" -> b.clientThreads(Integer.parseInt(v));
                        case "--server-threads" -> b.serverThreads(Integer.parseInt(v));
                        case "--warmup" -> b.warmup(duration(v));
                        case "--duration" -> b.duration(duration(v));
                        case "--progress" -> b.progressInterval(duration(v));
                        case "--connections" -> b.connections(Integer.parseInt(v));
                        case "--in-flight" -> b.inFlight(Integer.parseInt(v));
                        case "--requests" -> b.requestsPerConnection(Integer.parseInt(v));
                        case "--rate" -> b.rate(Double.parseDouble(v));
                        case "--body" -> b.bodySize(Integer.parseInt(v));
                        case "--rooms" -> b.rooms(Integer.parseInt(v));
                        case "--members" -> b.members(Integer.parseInt(v));
                        case "--messages" -> b.messagesPerSender(Integer.parseInt(v));
                        case "--idle" -> b.idleConnections(Integer.parseInt(v));
                        case "--hold" -> b.hold(duration(v));
                        case "--connect-concurrency" -> b.connectConcurrency(Integer.parseInt(v));
                        case "--sources" -> b.sourceAddresses(Integer.parseInt(v));
                        case "--says" -> b.churnMessages(Integer.parseInt(v));
                        case "--cycles" -> b.cyclesPerWorker(Integer.parseInt(v));
                        case "--metrics" -> b.metricsUrl(v);
                        case "--jmh" -> b.jmhInclude(v);
                        case "--jmh-time" -> b.jmhTime(duration(v));
                        case "--json" -> json = v;
                        default -> throw new IllegalArgumentException("unknown flag " + flag);
                    }
                }
            }
        }
        return json;
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, or plain seconds. */
    static Duration duration(String v) {
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }
}
