package io.switchboard.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cluster down} signals only the processes {@code cluster up} started, by the pid file. */
class ClusterCommandTest {
    @TempDir
    Path dir;
    private Process sleep;
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stopSleep() {
        if (sleep != null) {
            sleep.destroyForcibly();
        }
    }

    private ProcessHandle startSleep() throws Exception {
        sleep = new ProcessBuilder("sleep", "60").start();
        return sleep.toHandle();
    }

    private int down() {
        return Main.commandLine().setErr(new PrintWriter(err, true))
                .execute("cluster", "down", "--run-dir", dir.toString());
    }

    @Test
    void aPidNowNamingAProcessStartedLaterIsLeftAlone() throws Exception {
        ProcessHandle other = startSleep();
        Instant recorded = other.info().startInstant().orElseThrow().minus(Duration.ofHours(1));
        Files.writeString(dir.resolve(ClusterCommand.PID_FILE), "gate-1 " + other.pid() + " " + recorded + "\n");
        assertThat(down()).isZero();
        assertThat(sleep.waitFor(1, TimeUnit.SECONDS)).as("sleep was signalled").isFalse();
        assertThat(Files.exists(dir.resolve(ClusterCommand.PID_FILE))).isFalse();
    }

    @Test
    void anOldPidFileWithoutStartInstantsSignalsOnlyOurOwnCommand() throws Exception {
        ProcessHandle other = startSleep();
        Files.writeString(dir.resolve(ClusterCommand.PID_FILE), "gate-1 " + other.pid() + "\n");
        assertThat(down()).isZero();
        assertThat(sleep.waitFor(1, TimeUnit.SECONDS)).as("sleep was signalled").isFalse();
    }

    @Test
    void theProcessUpStartedIsStopped() throws Exception {
        ProcessHandle child = startSleep();
        Files.writeString(dir.resolve(ClusterCommand.PID_FILE), "gate-1 " + child.pid() + " "
                + child.info().startInstant().orElseThrow() + "\n");
        assertThat(down()).isZero();
        assertThat(sleep.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPidThatIsNotANumberIsOneLine() throws Exception {
        Files.writeString(dir.resolve(ClusterCommand.PID_FILE), "gate-1 abc\n");
        assertThat(down()).isEqualTo(1);
        assertThat(err.toString()).contains("cluster.pid:1: not 'name pid [start]': gate-1 abc")
                .doesNotContain("\tat ");
    }
}
