package io.switchboard.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** BenchMain alone: the same command as {@code switchboard bench}, with its exit codes and streams. */
class BenchMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void runsAScenarioPrintsTheLineThatReproducesItAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("report.json");
        int code = run("echo", "--target", "baseline", "--in-process", "--client-threads", "1", "--server-threads",
                "1", "--connections", "2", "--in-flight", "2", "--requests", "20", "--progress", "0", "--json",
                json.toString());

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).contains("switchboard bench echo --target baseline --in-process --client-threads 1 "
                + "--server-threads 1 --connections 2 --in-flight 2 --requests 20 --body 64");
        assertThat(Files.readString(json)).contains("\"command\" : \"echo --target baseline")
                .contains("\"responses\" : 40");
    }

    @Test
    void helpGoesToOutAndExitsZero() {
        assertThat(run("churn", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: bench churn").contains("--says");
        assertThat(err.size()).isZero();
    }

    @Test
    void badArgumentsGoToErrAndExitTwo() {
        assertThat(run("echo", "--in-flight", "none")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--in-flight").contains("'none'");
        assertThat(out.size()).isZero();
    }
}
