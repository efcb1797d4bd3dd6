package io.switchboard.chat;

import io.switchboard.gate.GateConfig;
import io.switchboard.gate.GateServer;
import io.switchboard.gate.GateSession;
import io.switchboard.testing.ExternalPrograms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web page end to end: two headless Chromium sessions (the machine's /usr/bin/chromium, driven by
 * playwright-core from npm) register, join a group and chat, against the server in-process on an H2 file
 * database; then one loses his connection (closed by the gate under the page, his network off) and the page
 * reconnects, resumes the session and shows the message he missed, once, without a pull; then he is away longer
 * than the grace period (the gate's clock jumps it), the resume is refused, and the page logs in again with its
 * token and pulls what he missed, once. Without node, npm or Chromium the test is skipped loudly, or fails when
 * CI=true.
 */
class BrowserChatTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** npm installs playwright-core here once; mvn clean removes it. */
    private static final Path NODE_DIR = Path.of("target", "browser-tests");
    private static final String SCRIPT = "two-browsers-chat.cjs";

    private static final Duration GRACE = Duration.ofSeconds(60);

    private ChatHarness chat;
    /** How far the gate's clock has been moved past the real one: grace periods end when the test says. */
    private final AtomicLong skipped = new AtomicLong();

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

        chat = new ChatHarness(ChatApp.open(ChatConfig.builder()
                .jdbcUrl(ChatConfig.h2FileUrl(temp.resolve("chat")))
                .passwordIterations(1_000)
                .build()), GateConfig.builder().resumeGrace(GRACE)
                // Heartbeats as long as the grace, so the jump past it leaves the live connections alone.
                .heartbeat(GRACE)
                .ticker(() -> System.nanoTime() + skipped.get()));
        Files.copy(Path.of("src", "test", "js", SCRIPT), nodeDir.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
        Process node = new ProcessBuilder("node", SCRIPT, "http://127.0.0.1:" + chat.port() + "/",
                CHROMIUM.toString(), Files.createDirectory(temp.resolve("profiles")).toString())
                .directory(nodeDir.toFile())
                .redirectErrorStream(true)
                .start();
        StringBuffer log = new StringBuffer();
        Thread reader = new Thread(() -> follow(node, log), "browsers-output");
        reader.start();
        boolean finished = node.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String output = log.toString();
        System.out.println(output);
        assertThat(finished).as("the browsers finished in time:\n%s", output).isTrue();
        assertThat(node.exitValue()).as("node's exit code:\n%s", output).isZero();
        assertThat(output).contains("E2E OK");
    }

    /**
     * Collects the script's output, and answers its {@code DROP <session id>}: closes the gate's end of that
     * session's connection (no kick, no close frame, so the gate parks it), waits for the park, says {@code dropped};
     * and its {@code EXPIRE <session id>}: moves the gate's clock past the grace period, waits for the parked session
     * to end, says {@code expired}.
     */
    private void follow(Process node, StringBuffer log) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8));
             Writer answers = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.append(line).append(System.lineSeparator());
                if (line.startsWith("DROP ")) {
                    GateServer gate = chat.server.gate();
                    GateSession session = gate.channels().get(Long.parseLong(line.substring(5).trim()));
                    int parked = gate.parkedSessions();
                    session.channel().close().syncUninterruptibly();
                    await().atMost(Duration.ofSeconds(20)).until(() -> gate.parkedSessions() == parked + 1);
                    answers.write("dropped\n");
                    answers.flush();
                } else if (line.startsWith("EXPIRE ")) {
                    GateServer gate = chat.server.gate();
                    long id = Long.parseLong(line.substring(7).trim());
                    skipped.addAndGet(GRACE.plusSeconds(1).toNanos());
                    await().atMost(Duration.ofSeconds(20)).until(() -> gate.channels().get(id) == null);
                    answers.write("expired\n");
                    answers.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.append("the test's reader failed: ").append(e).append(System.lineSeparator());
        }
    }
}
