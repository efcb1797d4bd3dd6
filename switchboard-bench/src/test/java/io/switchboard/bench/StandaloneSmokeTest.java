package io.switchboard.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The same toy runs against Switchboard's demo server, and one compare run that divides the two. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StandaloneSmokeTest {
    private final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static BenchOptions.Builder small(Scenario scenario) {
        return BenchOptions.builder().scenario(scenario).target(BenchOptions.TARGET_STANDALONE).fork(false)
                .clientThreads(1).serverThreads(1).progressInterval(Duration.ZERO);
    }

    @Test
    void echoGetsEveryResponseBack() throws Exception {
        BenchResult echo = BenchRunner.run(small(Scenario.ECHO).connections(2).inFlight(4)
                .requestsPerConnection(50).build(), out).results().get(0);

        assertThat(echo.target()).startsWith("standalone");
        assertThat(echo.problems()).isEmpty();
        assertThat(echo.figure("responses")).isEqualTo(100);
    }

    @Test
    void echoOverWebSocketGetsEveryResponseBack() throws Exception {
        BenchResult echo = BenchRunner.run(small(Scenario.ECHO).websocket(true).connections(2).inFlight(4)
                .requestsPerConnection(50).build(), out).results().get(0);

        assertThat(echo.problems()).isEmpty();
        assertThat(echo.figure("responses")).isEqualTo(100);
    }

    @Test
    void broadcastDeliversEveryMessageToEveryMember() throws Exception {
        BenchResult broadcast = BenchRunner.run(small(Scenario.BROADCAST).rooms(1).members(3)
                .messagesPerSender(20).inFlight(2).build(), out).results().get(0);

        assertThat(broadcast.problems()).isEmpty();
        assertThat(broadcast.figure("deliveries")).isEqualTo(60);
    }

    @Test
    void churnCompletesEveryCycle() throws Exception {
        BenchResult churn = BenchRunner.run(small(Scenario.CHURN).connections(3).rooms(2).churnMessages(2)
                .cyclesPerWorker(4).build(), out).results().get(0);

        assertThat(churn.problems()).isEmpty();
        assertThat(churn.figure("cycles")).isEqualTo(12);
    }

    @Test
    void resumeRecoversEveryMemberWithEveryPushOnce() throws Exception {
        for (boolean websocket : new boolean[] {false, true}) {
            BenchResult resume = BenchRunner.run(small(Scenario.RESUME).websocket(websocket).connections(4).rooms(2)
                    .churnMessages(3).resumeRounds(2).build(), out).results().get(0);

            assertThat(resume.problems()).as("websocket %s", websocket).isEmpty();
            assertThat(resume.figure("resumes")).isEqualTo(8);
            assertThat(resume.figure("resumes_refused")).isZero();
            assertThat(resume.figure("pushes_lost")).isZero();
            assertThat(resume.figure("pushes_duplicated")).isZero();
            assertThat(resume.figure("pushes_replayed")).isBetween(1.0, 24.0);
        }
    }

    @Test
    void connectionsAreCountedByTheGate() throws Exception {
        BenchResult connections = BenchRunner.run(small(Scenario.CONNECTIONS).idleConnections(30)
                .hold(Duration.ofMillis(300)).build(), out).results().get(0);

        assertThat(connections.problems()).isEmpty();
        assertThat(connections.figure("alive_after_hold")).isEqualTo(30);
        assertThat(connections.figure("server_reports_connections")).isEqualTo(30);
    }

    @Test
    void compareReportsSwitchboardOverBaseline() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.ECHO).compare(true).connections(2).inFlight(2)
                .requestsPerConnection(30).build(), out);

        assertThat(report.results()).hasSize(2);
        assertThat(report.ok()).isTrue();
        assertThat(report.ratios()).extracting(BenchReport.Ratio::figure).contains("requests_per_s", "p99_us");
        assertThat(report.ratios()).allSatisfy(r -> assertThat(r.value()).isPositive());
        assertThat(report.ratios()).extracting(BenchReport.Ratio::pair).containsOnly("standalone ÷ baseline");
        assertThat(report.text()).contains("standalone ÷ baseline");
    }

    @Test
    void repeatedCompareReportsEachRoundAndTheMedians() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.ECHO).compare(true).repeats(2).connections(2).inFlight(2)
                .requestsPerConnection(30).build(), out);

        assertThat(report.ok()).isTrue();
        assertThat(report.results()).extracting(BenchResult::name)
                .containsExactly("echo (round 1)", "echo (round 1)", "echo (round 2)", "echo (round 2)");
        assertThat(report.results()).extracting(BenchResult::target)
                .satisfiesExactly(t -> assertThat(t).startsWith("baseline"), t -> assertThat(t).startsWith("standalone"),
                        t -> assertThat(t).startsWith("baseline"), t -> assertThat(t).startsWith("standalone"));
        List<BenchReport.Ratio> rate = report.ratios().stream()
                .filter(r -> r.figure().equals("requests_per_s")).toList();
        assertThat(rate).extracting(BenchReport.Ratio::result).containsExactly("echo (round 1)", "echo (round 2)",
                "echo, median of 2 rounds (round " + (rate.get(0).value() <= rate.get(1).value() ? 1 : 2) + ")");
        assertThat(rate.get(2).value()).isEqualTo(Math.min(rate.get(0).value(), rate.get(1).value()));
        assertThat(report.text()).contains("echo --compare --repeat 2");
    }
}
