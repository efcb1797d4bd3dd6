package io.switchboard.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two small points per axis against the in-process standalone demo: a result per point, a CSV and a chart per axis. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScaleSmokeTest {

    @Test
    void aTinyScaleRunMeasuresEveryPointAndWritesCsvAndChartPerAxis(@TempDir Path out) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchOptions options = BenchOptions.builder().scenario(Scenario.SCALE).scaleTargets(List.of("standalone"))
                .fork(false).clientThreads(1).serverThreads(1).progressInterval(Duration.ZERO)
                .connectionPoints(List.of(2, 4)).totalInFlight(4).memberPoints(List.of(2, 3)).inFlight(2)
                .bodyPoints(List.of(64, 2048)).warmup(Duration.ofMillis(200)).duration(Duration.ofMillis(800))
                .settle(Duration.ZERO).outDirectory(out).build();

        BenchReport report = BenchRunner.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(report.results()).extracting(BenchResult::name).containsExactly("connections 2", "connections 4",
                "room-size 2", "room-size 3", "message-size 64", "message-size 2048");
        for (BenchResult point : report.results()) {
            // Whether a paced run kept up depends on the machine's load; unit tests assert no timings.
            assertThat(point.problems()).as(point.name()).allMatch(p -> p.contains("fell behind"));
            assertThat(point.figure("saturated_per_s")).as(point.name()).isPositive();
            assertThat(point.figure("half_rate_per_s")).as(point.name()).isPositive();
            assertThat(point.figures()).containsKeys("saturated_p99_us", "half_p50_us", "half_p99_us");
        }
        // 4 in flight shared by 2 connections is 2 each; by 4, one each.
        assertThat(report.results().get(0).figure("in_flight_per_connection")).isEqualTo(2);
        assertThat(report.results().get(1).figure("in_flight_per_connection")).isEqualTo(1);
        assertThat(report.results().get(5).figure("body_bytes")).isEqualTo(2048);

        for (String axis : List.of("connections", "room-size", "message-size")) {
            List<String> csv = Files.readAllLines(out.resolve("scale-" + axis + ".csv"));
            assertThat(csv).hasSize(3);
            assertThat(csv.get(0)).isEqualTo("target,point,connections,in_flight,body_bytes,members,saturated_per_s,"
                    + "saturated_p50_us,saturated_p99_us,half_offered_per_s,half_rate_per_s,half_p50_us,half_p99_us,problems");
            assertThat(csv.get(1)).startsWith("standalone,").endsWith(",");
            BufferedImage chart = ImageIO.read(out.resolve("scale-" + axis + ".png").toFile());
            assertThat(chart.getWidth()).isEqualTo(1000);
            assertThat(chart.getHeight()).isEqualTo(760);
        }
        assertThat(new String(printed.toByteArray(), StandardCharsets.UTF_8)).contains("wrote ",
                "scale-room-size.png", "connections 4 @ standalone");
    }
}
