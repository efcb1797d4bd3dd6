package io.switchboard.daemon.supervisor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogFilesTest {
    @TempDir
    Path dir;

    @Test
    void tailReadsTheLastLinesWithinItsByteBound() throws Exception {
        LogFiles logs = new LogFiles(dir, 1 << 20, 3, 64);
        assertThat(logs.tail("app", 5)).isEmpty(); // no file yet
        Files.writeString(logs.file("app"), IntStream.range(0, 100).mapToObj(i -> "line-" + i)
                .collect(Collectors.joining("\n", "", "\n")));
        assertThat(logs.tail("app", 3)).containsExactly("line-97", "line-98", "line-99");
        // 64 bytes hold fewer than 20 lines of 8 bytes: the cut first line is dropped, never half shown.
        assertThat(logs.tail("app", 20)).hasSizeLessThanOrEqualTo(8).endsWith("line-99")
                .allMatch(line -> line.matches("line-\\d\\d"));
        assertThat(logs.tail("app", 0)).isEmpty();
    }

    @Test
    void rotationKeepsTheNewestBackupsAndEmptiesTheFile() throws Exception {
        LogFiles logs = new LogFiles(dir, 10, 2, 1024);
        Path file = logs.file("app");
        Files.writeString(file, "short\n");
        assertThat(logs.rotateIfLarge("app")).isFalse();
        for (String round : new String[] {"first round\n", "second round\n", "third round\n"}) {
            Files.writeString(file, round);
            assertThat(logs.rotateIfLarge("app")).isTrue();
            assertThat(Files.size(file)).isZero();
        }
        assertThat(Files.readString(dir.resolve("app.log.1"))).isEqualTo("third round\n");
        assertThat(Files.readString(dir.resolve("app.log.2"))).isEqualTo("second round\n");
        assertThat(dir.resolve("app.log.3")).doesNotExist();
        assertThat(logs.rotateIfLarge("missing")).isFalse();
    }

    @Test
    void aNameThatWouldLeaveTheLogDirectoryIsRefused() {
        LogFiles logs = new LogFiles(dir.resolve("logs"), 10, 2, 1024);
        for (String name : new String[]{"../escaped", "/tmp/abs", "a/b", "..", "a\\b", "", "x\ny"}) {
            assertThatThrownBy(() -> logs.file(name)).as(name).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> logs.rotateIfLarge(name)).as(name).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> logs.tail(name, 1)).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(logs.file("web-1_a")).isEqualTo(dir.resolve("logs/web-1_a.log"));
        assertThat(dir.resolve("escaped.log")).doesNotExist();
    }
}
