package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The bench command line: help, usage errors, and flags mapped onto the same options the builder makes. */
class BenchCommandTest {

    @Test
    void scenarioHelpListsItsFlagsWithTheirDefaults() {
        Run help = execute("echo", "--help");

        assertThat(help.code).isZero();
        assertThat(help.out).contains("--connections", "--in-flight", "--requests", "--rate", "--half-rate", "--body",
                "--target", "--compare", "--repeat", "--ws", "--fork", "--in-process", "--server-jvm-args", "--server-threads",
                "--metrics", "--client-threads", "--progress", "--connect-concurrency", "--warmup", "--duration",
                "--json");
        assertThat(help.out).contains("Connections (default 50)", "(default 8)", "(default 64)", "(default 3s)",
                "(default 10s)", "(default baseline)");
        // Flags of other scenarios are not offered here.
        assertThat(help.out).doesNotContain("--idle", "--members", "--says", "--jmh", "--sources");
    }

    @Test
    void eachScenarioHelpShowsItsOwnFlags() {
        assertThat(execute("broadcast", "--help").out).contains("--members", "--messages", "--sources",
                "(default 1000)");
        assertThat(execute("connections", "--help").out).contains("--idle", "--hold", "(default 10000)")
                .doesNotContain("--warmup");
        assertThat(execute("churn", "--help").out).contains("--says", "--cycles", "(default 5)")
                .doesNotContain("--connect-concurrency");
        assertThat(execute("soak", "--help").out).contains("--sample-every", "--churn-pause", "--room-rate",
                "(default 10m)", "(default 5s)").doesNotContain("--warmup");
        assertThat(execute("jmh", "--help").out).contains("--jmh-time", "(default 1s)", "io\\.switchboard")
                .doesNotContain("--target");
    }

    @Test
    void benchHelpListsTheScenarios() {
        Run help = execute("--help");

        assertThat(help.code).isZero();
        assertThat(help.out).contains("Usage: bench [-h] SCENARIO", "Scenarios: echo Connections each keeping",
                " broadcast Rooms of members", " connections Idle connections held open", " churn Workers looping",
                " soak Paced echo, room broadcast and churn at once",
                " jmh The JMH micro-benchmarks", "Exit codes: 0 every run went as intended");
    }

    @Test
    void anUnknownFlagIsAUsageErrorNamingIt() {
        Run run = execute("echo", "--nope", "1");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).startsWith("Unknown options: '--nope'").contains("Usage: bench echo")
                .doesNotContain("Exception");
    }

    @Test
    void aFlagOfAnotherScenarioIsRefused() {
        Run run = execute("echo", "--idle", "5");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("Unknown options: '--idle'");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheFlag() {
        Run word = execute("echo", "--connections", "many");
        assertThat(word.code).isEqualTo(2);
        assertThat(word.err).contains("--connections").contains("'many' is not a whole number")
                .doesNotContain("Exception");

        Run zero = execute("broadcast", "--members", "0");
        assertThat(zero.code).isEqualTo(2);
        assertThat(zero.err).contains("--members").contains("'0' is not above zero");

        Run time = execute("churn", "--warmup", "soon");
        assertThat(time.code).isEqualTo(2);
        assertThat(time.err).contains("--warmup").contains("'soon' is not a time");

        Run rate = execute("echo", "--rate", "fast");
        assertThat(rate.code).isEqualTo(2);
        assertThat(rate.err).contains("--rate").contains("fast");

        Run missing = execute("echo", "--target");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("--target");
    }

    @Test
    void aMissingOrUnknownScenarioIsAUsageError() {
        Run none = execute();
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err).contains("Missing required subcommand").contains("echo");

        Run unknown = execute("flood");
        assertThat(unknown.code).isEqualTo(2);
        assertThat(unknown.err).contains("flood");
    }

    @ParameterizedTest
    @EnumSource(value = Scenario.class, mode = EnumSource.Mode.EXCLUDE, names = "SOAK")
    void noFlagsGiveTheBuildersDefaults(Scenario scenario) {
        BenchOptions parsed = parse(scenario.name().toLowerCase(java.util.Locale.ROOT));

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.builder().scenario(scenario).build()));
    }

    @Test
    void echoFlagsSetTheirOptions() {
        BenchOptions parsed = parse("echo", "--target", "ws://127.0.0.1:10101", "--in-process", "--client-threads",
                "3", "--server-threads", "5", "--server-jvm-args", "-Xmx2g -Xss1m", "--metrics",
                "http://127.0.0.1:19901/metrics", "--progress", "250ms", "--connect-concurrency", "16",
                "--connections", "7", "--in-flight", "2", "--requests", "100", "--rate", "1500.5", "--half-rate",
                "--body", "128", "--warmup", "1.5s", "--duration", "2m");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.builder().scenario(Scenario.ECHO)
                .target("ws://127.0.0.1:10101").fork(false).clientThreads(3).serverThreads(5)
                .serverJvmArgs(List.of("-Xmx2g", "-Xss1m")).metricsUrl("http://127.0.0.1:19901/metrics")
                .progressInterval(Duration.ofMillis(250)).connectConcurrency(16).connections(7).inFlight(2)
                .requestsPerConnection(100).rate(1500.5).halfRate(true).bodySize(128)
                .warmup(Duration.ofMillis(1500)).duration(Duration.ofMinutes(2)).build()));
        assertThat(parsed.websocket()).isTrue();
    }

    @Test
    void theBytesEchoGoesWithTheWorkers() {
        BenchOptions parsed = parse("echo", "--on-workers", "--bytes");
        assertThat(parsed.echoRoute()).isEqualTo("demo.echo.sayBytesOnWorkers");
        assertThat(parse("echo", "--on-workers").echoRoute()).isEqualTo("demo.echo.sayOnWorkers");

        Run alone = execute("echo", "--bytes");
        assertThat(alone.code).isEqualTo(2);
        assertThat(alone.err).contains("--bytes goes with --on-workers").doesNotContain("Exception");
    }

    @Test
    void repeatGoesWithCompare() {
        Run alone = execute("echo", "--repeat", "2");

        assertThat(alone.code).isEqualTo(2);
        assertThat(alone.err).contains("--repeat", "goes with --compare").doesNotContain("Exception");
        assertThat(execute("echo", "--compare", "--repeat", "0").err).contains("'0'");
        assertThat(parse("echo", "--compare").repeats()).isEqualTo(1);
    }

    @Test
    void broadcastFlagsSetTheirOptions() {
        BenchOptions parsed = parse("broadcast", "--compare", "--repeat", "3", "--ws", "--rooms", "4", "--members", "250",
                "--in-flight", "16", "--body", "32", "--messages", "40", "--sources", "2", "--duration", "5");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.builder().scenario(Scenario.BROADCAST)
                .compare(true).repeats(3).websocket(true).rooms(4).members(250).inFlight(16).bodySize(32).messagesPerSender(40)
                .sourceAddresses(2).duration(Duration.ofSeconds(5)).build()));
    }

    @Test
    void connectionsFlagsSetTheirOptions() {
        BenchOptions parsed = parse("connections", "--target", "standalone", "--idle", "19000", "--hold", "5s",
                "--sources", "3");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.builder().scenario(Scenario.CONNECTIONS)
                .target("standalone").idleConnections(19_000).hold(Duration.ofSeconds(5)).sourceAddresses(3).build()));
        assertThat(parsed.fork()).as("connections forks unless told otherwise").isTrue();
        assertThat(parse("connections", "--in-process").fork()).isFalse();
    }

    @Test
    void churnFlagsSetTheirOptions() {
        BenchOptions parsed = parse("churn", "--fork", "--connections", "20", "--rooms", "10", "--says", "3",
                "--cycles", "9");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.builder().scenario(Scenario.CHURN).fork(true)
                .connections(20).rooms(10).churnMessages(3).cyclesPerWorker(9).build()));
    }

    @Test
    void resumeFlagsSetTheirOptions() {
        BenchOptions parsed = parse("resume", "--target", "standalone", "--connections", "20", "--rooms", "4",
                "--says", "3", "--rounds", "7");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.builder().scenario(Scenario.RESUME)
                .target("standalone").connections(20).rooms(4).churnMessages(3).resumeRounds(7).build()));
    }

    @Test
    void soakWithoutFlagsIsTheSoakPreset() {
        BenchOptions parsed = parse("soak");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.soak().build()));
        assertThat(parsed.target()).isEqualTo(BenchOptions.TARGET_STANDALONE);
        assertThat(parsed.duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(parsed.sampleEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(parsed.outDirectory()).isEqualTo(Path.of("target", "soak"));
        assertThat(parsed.fork()).as("a soak samples the server alone unless told otherwise").isTrue();
    }

    @Test
    void soakFlagsSetTheirOptions() {
        BenchOptions parsed = parse("soak", "--target", "cluster", "--in-process", "--duration", "90s",
                "--sample-every", "500ms", "--out", "/tmp/s", "--connections", "3", "--rate", "40", "--rooms", "2",
                "--members", "5", "--room-rate", "7.5", "--churn-workers", "6", "--says", "1", "--churn-pause", "1s",
                "--body", "16");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.soak().target("cluster").fork(false)
                .duration(Duration.ofSeconds(90)).sampleEvery(Duration.ofMillis(500)).outDirectory(Path.of("/tmp/s"))
                .connections(3).rate(40).rooms(2).members(5).roomRate(7.5).churnWorkers(6).churnMessages(1)
                .churnPause(Duration.ofSeconds(1)).bodySize(16).build()));
    }

    @Test
    void scaleHelpListsItsFlagsWithTheirDefaults() {
        Run help = execute("scale", "--help");

        assertThat(help.code).isZero();
        assertThat(help.out).contains("--targets", "--connections", "--in-flight-total", "--members", "--in-flight",
                "--body", "--settle", "--out", "--quick", "--pin", "--warmup", "--duration",
                "(default baseline,standalone,", "(default 100,1000,5000,10000)", "(default 1000)",
                "(default 10,100,1000,10000)", "(default 64,1024,16384,65536)", "(default 10s)",
                "(default target/scale)");
        assertThat(execute("--help").out).contains(" scale How cost grows with work");
    }

    @Test
    void scaleWithoutFlagsMeasuresAllThreeTargetsForked() {
        BenchOptions parsed = parse("scale");

        assertThat(parsed.targets()).containsExactly("baseline", "standalone", "cluster");
        assertThat(parsed.fork()).as("local targets run in child JVMs unless told otherwise").isTrue();
        assertThat(parsed.outDirectory()).isEqualTo(Path.of("target", "scale"));
    }

    @Test
    void scaleFlagsSetTheirOptions() {
        BenchOptions parsed = parse("scale", "--targets", "standalone,cluster", "--pin", "--connections", "10,20",
                "--in-flight-total", "40", "--members", "5,50,500", "--in-flight", "4", "--body", "64,128",
                "--settle", "0", "--out", "/tmp/s", "--warmup", "1s", "--duration", "3s", "--connect-concurrency", "8");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.builder().scenario(Scenario.SCALE)
                .scaleTargets(List.of("standalone", "cluster")).pin(true).connectionPoints(List.of(10, 20))
                .totalInFlight(40).memberPoints(List.of(5, 50, 500)).inFlight(4).bodyPoints(List.of(64, 128))
                .settle(Duration.ZERO).outDirectory(Path.of("/tmp/s")).warmup(Duration.ofSeconds(1))
                .duration(Duration.ofSeconds(3)).connectConcurrency(8).build()));
        assertThat(parsed.targets()).containsExactly("standalone", "cluster");
    }

    @Test
    void scaleQuickIsTwoPointsPerAxisAndShortRunsUnlessAFlagSaysOtherwise() {
        BenchOptions quick = parse("scale", "--quick");
        assertThat(quick.connectionPoints()).hasSize(2);
        assertThat(quick.memberPoints()).hasSize(2);
        assertThat(quick.bodyPoints()).hasSize(2);
        assertThat(quick.duration()).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(quick.warmup()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(quick.settle()).isLessThan(parse("scale").settle());

        BenchOptions mixed = parse("scale", "--quick", "--members", "7", "--duration", "5s");
        assertThat(mixed.memberPoints()).containsExactly(7);
        assertThat(mixed.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(mixed.connectionPoints()).isEqualTo(quick.connectionPoints());
    }

    @Test
    void scaleRefusesBadPointsAndTheSingleTargetFlags() {
        Run zero = execute("scale", "--connections", "100,0");
        assertThat(zero.code).isEqualTo(2);
        assertThat(zero.err).contains("--connections").contains("'0' is not above zero");

        Run word = execute("scale", "--body", "64,big");
        assertThat(word.code).isEqualTo(2);
        assertThat(word.err).contains("--body").contains("'big' is not a whole number");

        Run single = execute("scale", "--target", "standalone");
        assertThat(single.code).isEqualTo(2);
        assertThat(single.err).contains("scale takes --targets").doesNotContain("Exception");
    }

    @Test
    void jmhFlagsSetTheirOptions() {
        BenchOptions parsed = parse("jmh", "--jmh", "Snowflake", "--jmh-time", "3s");

        assertThat(values(parsed)).isEqualTo(values(BenchOptions.builder().scenario(Scenario.JMH)
                .jmhInclude("Snowflake").jmhTime(Duration.ofSeconds(3)).build()));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void theReportLineParsesBackToTheSameOptions(Scenario scenario) {
        BenchOptions options = BenchOptions.builder().scenario(scenario).compare(scenario == Scenario.BROADCAST)
                .repeats(scenario == Scenario.BROADCAST ? 3 : 1)
                .target("tcp://127.0.0.1:10101").websocket(true).fork(true).serverJvmArgs(List.of("-Xmx1g", "-Xss512k"))
                .clientThreads(1).serverThreads(3).connections(9).inFlight(3).requestsPerConnection(20).rate(1200)
                .halfRate(true).bodySize(100).onWorkers(true).bytesBody(true).rooms(2).members(500).messagesPerSender(7).idleConnections(300)
                .hold(Duration.ofMillis(2500)).sourceAddresses(2).churnMessages(4).cyclesPerWorker(6).resumeRounds(4)
                .roomRate(3).churnWorkers(5).churnPause(Duration.ofMillis(20)).sampleEvery(Duration.ofMillis(250))
                .outDirectory(Path.of("build", "soak"))
                .warmup(Duration.ofSeconds(2)).duration(Duration.ofMillis(1500)).jmhInclude("Route.*")
                .jmhTime(Duration.ofMillis(500)).build();
        String line = options.toString();

        BenchOptions again = parse(words(line));

        assertThat(again.toString()).isEqualTo(line);
    }

    @Test
    void everyBenchCommandInTheDocsParses() throws IOException {
        // bench.sh <scenario> ... and `bench <scenario> ...`, also where a line break splits the command.
        Pattern command = Pattern.compile("bench(?:\\.sh)? ((?:echo|broadcast|connections|churn|soak|scale|jmh)"
                + "(?: --[a-z-]+(?: (?!--)[^\\s`]+)?)*)");
        List<String> found = new ArrayList<>();
        for (String doc : List.of("../BENCHMARKS.md", "../README.md")) {
            Matcher m = command.matcher(Files.readString(Path.of(doc)).replaceAll("\\s+", " "));
            while (m.find()) {
                found.add(m.group(1));
            }
        }

        assertThat(found).hasSizeGreaterThan(10).contains("echo --compare");
        for (String line : found) {
            assertThatCode(() -> parse(words(line))).as(line).doesNotThrowAnyException();
        }
    }

    /** Splits a report line as a shell would: spaces, except inside single quotes. */
    private static String[] words(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words.toArray(String[]::new);
    }

    private static BenchOptions parse(String... args) {
        CommandLine.ParseResult result = new CommandLine(new BenchCommand()).parseArgs(args);
        return ((ScenarioCommand) result.subcommand().commandSpec().userObject()).options();
    }

    /** Every option the run reads, by name, so two options objects compare whole. */
    private static Map<String, Object> values(BenchOptions options) {
        Map<String, Object> values = new TreeMap<>();
        for (Method m : BenchOptions.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && m.getParameterCount() == 0 && !m.getName().equals("toString")) {
                try {
                    values.put(m.getName(), m.invoke(options));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertThat(values).containsKeys("target", "connections", "warmup", "jmhTime");
        return values;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        // Help wraps at 80 columns; fold it so that assertions need not know where.
        return new Run(code, out.toString().replaceAll("\\s+", " "), err.toString().replaceAll("\\s+", " "));
    }
}
