package io.switchboard.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario at toy sizes against the baseline, in this JVM and on loopback, and checks what was
 * counted: the tool must keep working, and keep counting right, as the code around it changes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchSmokeTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    private static BenchOptions.Builder small(Scenario scenario) {
        return BenchOptions.builder().scenario(scenario).target(BenchOptions.TARGET_BASELINE).fork(false)
                .clientThreads(1).serverThreads(1).progressInterval(Duration.ofMillis(200));
    }

    @Test
    void echoOverTcpGetsEveryResponseBack() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.ECHO).connections(2).inFlight(4)
                .requestsPerConnection(50).build(), out);

        BenchResult echo = report.results().get(0);
        assertThat(echo.problems()).isEmpty();
        assertThat(echo.figure("responses")).isEqualTo(100);
        assertThat(echo.figure("samples")).isEqualTo(100);
        assertThat(echo.figure("requests_per_s")).isPositive();
        assertThat(echo.figure("p99_us")).isPositive();
        assertThat(report.json()).contains("\"requests_per_s\"");
    }

    @Test
    void echoOverWebSocketGetsEveryResponseBack() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.ECHO).websocket(true).connections(2).inFlight(4)
                .requestsPerConnection(50).build(), out);

        BenchResult echo = report.results().get(0);
        assertThat(echo.target()).contains("ws");
        assertThat(echo.problems()).isEmpty();
        assertThat(echo.figure("responses")).isEqualTo(100);
    }

    @Test
    void pacedEchoSendsAtTheRateAsked() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.ECHO).connections(2).rate(400)
                .warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).build(), out);

        BenchResult echo = report.results().get(0);
        assertThat(echo.problems()).isEmpty();
        // 400/s for one second; the window and the timer are not exact to the request.
        assertThat(echo.figure("responses")).isBetween(280.0, 480.0);
        assertThat(echo.figure("offered_rate_per_s")).isEqualTo(400);
    }

    @Test
    void broadcastDeliversEveryMessageToEveryMember() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.BROADCAST).rooms(1).members(3)
                .messagesPerSender(20).inFlight(2).build(), out);

        BenchResult broadcast = report.results().get(0);
        assertThat(broadcast.problems()).isEmpty();
        assertThat(broadcast.figure("messages_sent")).isEqualTo(20);
        assertThat(broadcast.figure("deliveries")).isEqualTo(60);
        assertThat(broadcast.figure("samples")).isEqualTo(60);
    }

    @Test
    void pacedBroadcastOverTwoRooms() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.BROADCAST).rooms(2).members(4).rate(200)
                .messagesPerSender(10).build(), out);

        BenchResult broadcast = report.results().get(0);
        assertThat(broadcast.problems()).isEmpty();
        assertThat(broadcast.figure("deliveries")).isEqualTo(2 * 10 * 4);
    }

    @Test
    void churnCompletesEveryCycle() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.CHURN).connections(3).rooms(2).churnMessages(2)
                .cyclesPerWorker(4).build(), out);

        BenchResult churn = report.results().get(0);
        assertThat(churn.problems()).isEmpty();
        assertThat(churn.figure("cycles")).isEqualTo(12);
        assertThat(churn.figure("connect_samples")).isEqualTo(12);
    }

    @Test
    void connectionsAreOpenedHeldAndCounted() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.CONNECTIONS).idleConnections(40)
                .hold(Duration.ofMillis(300)).build(), out);

        BenchResult connections = report.results().get(0);
        assertThat(connections.problems()).isEmpty();
        assertThat(connections.figure("connections")).isEqualTo(40);
        assertThat(connections.figure("alive_after_hold")).isEqualTo(40);
        assertThat(connections.figure("server_reports_connections")).isEqualTo(40);
        assertThat(connections.figure("nofile_limit")).isPositive();
        assertThat(connections.figures()).containsKey("heap_bytes_per_connection")
                .containsKey("marginal_heap_bytes_per_connection");
    }

    @Test
    void tooManyConnectionsForTheFileLimitFailClearly() throws Exception {
        BenchReport report = BenchRunner.run(small(Scenario.CONNECTIONS).idleConnections(50_000_000)
                .build(), out);

        BenchResult connections = report.results().get(0);
        assertThat(connections.ok()).isFalse();
        assertThat(connections.problems().get(0)).contains("open-file limit (nofile)").contains("ulimit -n");
    }

    @Test
    void progressLineIsPrinted() throws Exception {
        BenchRunner.run(small(Scenario.ECHO).connections(2).rate(100).warmup(Duration.ZERO)
                .duration(Duration.ofMillis(700)).build(), out);

        assertThat(output.toString(StandardCharsets.UTF_8)).contains("[echo").contains("req/s").contains("p99");
    }
}
