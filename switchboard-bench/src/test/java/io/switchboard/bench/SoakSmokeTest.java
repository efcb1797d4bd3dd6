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

/** A few seconds of soak against the in-process standalone demo: it passes and leaves its CSV and chart. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SoakSmokeTest {

    @Test
    void aShortSoakPassesAndWritesItsSamplesAndChart(@TempDir Path out) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchOptions options = BenchOptions.soak().fork(false).clientThreads(1).serverThreads(1)
                .progressInterval(Duration.ZERO).duration(Duration.ofSeconds(6)).sampleEvery(Duration.ofMillis(300))
                .outDirectory(out).connections(2).rate(100).rooms(2).members(3).roomRate(10).churnWorkers(2)
                .churnMessages(2).churnPause(Duration.ofMillis(100)).build();

        BenchResult soak = BenchRunner.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .results().get(0);

        // Latency and throughput depend on the machine's load, and unit tests assert no timings: those trends
        // are judged (their verdicts are figures) but not asserted here. Memory, threads, files and errors are.
        List<String> problems = soak.problems().stream()
                .filter(p -> !p.contains("_p99_us is") && !p.contains("_per_s is")).toList();
        assertThat(problems).isEmpty();
        assertThat(soak.figure("samples")).isGreaterThanOrEqualTo(15);
        assertThat(soak.figures()).containsKeys("standalone_heap_bytes", "standalone_direct_bytes",
                "standalone_threads", "standalone_open_files", "echo_p99_us", "churn_cycles_per_s");
        assertThat((String) soak.figures().get("standalone_threads")).startsWith("flat");
        assertThat((String) soak.figures().get("standalone_open_files")).startsWith("flat");
        assertThat(new String(printed.toByteArray(), StandardCharsets.UTF_8))
                .contains("Verdicts", "standalone_heap_bytes");

        List<String> csv = Files.readAllLines(out.resolve("soak.csv"));
        assertThat(csv.get(0)).startsWith("elapsed_s,standalone_heap_bytes,standalone_direct_bytes,standalone_threads,"
                + "standalone_open_files,echo_requests_per_s,echo_p50_us,echo_p99_us,").endsWith(",errors");
        assertThat(csv).hasSize((int) soak.figure("samples") + 1);
        assertThat(csv.get(csv.size() - 1).split(",", -1)).hasSize(csv.get(0).split(",").length)
                .doesNotContain("", "NaN");
        BufferedImage chart = ImageIO.read(out.resolve("soak.png").toFile());
        assertThat(chart.getWidth()).isEqualTo(1000);
        assertThat(chart.getHeight()).isGreaterThan(1000);
    }
}
