package io.switchboard.chat;

import io.switchboard.testing.ExternalPrograms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page end to end: two headless Chromium sessions (the machine's /usr/bin/chromium, driven by
 * playwright-core from npm) register, join a group and chat, against the server in-process on an H2 file
 * database. Without node, npm or Chromium the test is skipped loudly, or fails when CI=true.
 */
class BrowserChatTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** npm installs playwright-core here once; mvn clean removes it. */
    private static final Path NODE_DIR = Path.of("target", "browser-tests");
    private static final String SCRIPT = "two-browsers-chat.cjs";

    private ChatHarness chat;

    @AfterEach
    void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    @Test
    void twoBrowsersChat(@TempDir Path temp) throws Exception {
        if (!ExternalPrograms.runs("node", "--version")) {
            ExternalPrograms.missing("node (Debian package nodejs)");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            ExternalPrograms.missing("Chromium at " + CHROMIUM + " (Debian package chromium)");
        }
        Path nodeDir = ExternalPrograms.npmCi(Path.of("."), NODE_DIR);

        chat = new ChatHarness(ChatConfig.builder()
                .jdbcUrl(ChatConfig.h2FileUrl(temp.resolve("chat")))
                .passwordIterations(1_000)
                .build());
        Files.copy(Path.of("src", "test", "js", SCRIPT), nodeDir.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
        Path log = temp.resolve("browsers.log");
        Process node = new ProcessBuilder("node", SCRIPT, "http://127.0.0.1:" + chat.port() + "/",
                CHROMIUM.toString(), Files.createDirectory(temp.resolve("profiles")).toString())
                .directory(nodeDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = node.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(finished).as("the browsers finished in time:\n%s", output).isTrue();
        assertThat(node.exitValue()).as("node's exit code:\n%s", output).isZero();
        assertThat(output).contains("E2E OK");
    }
}
