package io.switchboard.daemon.admin;

import io.switchboard.common.time.ManualTicker;
import io.switchboard.daemon.machine.ProcessState;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.globaldb.World;
import io.switchboard.testing.HeadlessChromium;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.daemon.admin.TestWorld.LOCAL;
import static io.switchboard.daemon.admin.TestWorld.START;
import static io.switchboard.daemon.admin.TestWorld.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in real headless Chromium against an admin API in-process: an operator logs in, sees the world's
 * processes change live and stops one with its button; a viewer sees no buttons, and a stop forged from the page with
 * the viewer's cookie is refused.
 */
class ConsoleBrowserTest {
    /** A value from globaldb that would be markup if the page ever put values in as HTML. */
    private static final String EVIL = "<img src=x onerror=window.pwned=1>";
    private static final Duration PAGE = Duration.ofSeconds(30);
    private static final String GATE_ROW = "document.querySelector('tr.process[data-ip=\"" + LOCAL
            + "\"][data-name=\"gate\"]')";

    @TempDir
    Path profile;
    private final MutableClock clock = new MutableClock(START);
    private final FakeMachine machine = new FakeMachine();
    private AdminApiServer server;
    private HeadlessChromium chromium;

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anOperatorWatchesAndStopsAViewerCannot() throws Exception {
        InMemoryGlobalDb db = TestWorld.globalDb();
        Map<String, Map<String, List<ProcessSpec>>> regions = new LinkedHashMap<>(db.world().regions());
        regions.put("odd", Map.of("127.0.0.9", List.of(new ProcessSpec("cmd", "odd", "127.0.0.9", 1, null,
                "/bin/true", null, null))));
        db.replaceWorld(new World(regions));
        // Its state is free text in globaldb (a world's host no longer is: a store refuses a world an import would).
        db.recordState(key("odd", "127.0.0.9", "odd"), EVIL);
        machine.logs.put("gate", List.of("gate started", "listening on 10101"));
        CommandExecutor executor = new CommandExecutor(LOCAL, db, machine, new FakeRelay(), clock,
                Liveness.Rule.defaults());
        server = new AdminApiServer(AdminApiConfig.defaults("127.0.0.1", 0).withWatchPeriod(Duration.ofSeconds(30)),
                executor, db, machine, new ManualTicker()).start();

        chromium = HeadlessChromium.open("http://127.0.0.1:" + server.port() + "/", profile);
        logIn("otto", "ottootto");
        page().until(() -> chromium.evaluate("document.querySelectorAll('tr.process').length")
                .asInt() == 5);
        assertThat(chromium.text(GATE_ROW + ".dataset.liveness")).isEqualTo("stopped");
        assertThat(chromium.text("document.getElementById('who').textContent")).isEqualTo("otto (operator) on "
                + LOCAL);

        // The gate starts: its live state reaches the page without a reload.
        machine.set("gate", "gate", ProcessState.RUNNING, 4242, START - 90_000);
        db.recordStart(key("east", LOCAL, "gate"), 4242, START - 90_000);
        TestWorld.alive(db, key("east", LOCAL, "gate"), 4242, 12, START - 300);
        // The refresh the timer would send (its period is longer than the test): no waiting on time.
        server.refreshWatches();
        page().until(() -> chromium.text(GATE_ROW + ".dataset.liveness").equals("alive"));
        String row = chromium.text(GATE_ROW + ".textContent");
        assertThat(row).contains("4242").contains("RUNNING").contains("1 min").contains("64 MiB / 512 MiB");
        // The value from globaldb is text on the page, not an element, and ran nothing.
        assertThat(chromium.text("document.querySelector('tr.process[data-name=\"odd\"]').textContent"))
                .contains(EVIL);
        assertThat(chromium.evaluate("window.pwned === undefined && document.querySelectorAll('#world img').length"
                + " === 0").asBoolean()).isTrue();

        chromium.evaluate(GATE_ROW + ".querySelector('button[data-action=\"stop\"]').click()");
        page().until(() -> machine.calls.contains("stop gate"));
        page().until(() -> chromium.text("document.getElementById('command-result').textContent")
                .equals("stop " + LOCAL + " gate: ok"));

        chromium.evaluate(GATE_ROW + ".querySelector('button.log').click()");
        page().until(() -> chromium.text("document.getElementById('log-lines').textContent")
                .equals("gate started\nlistening on 10101"));

        chromium.evaluate("document.getElementById('logout').click()");
        page().until(() -> !chromium.evaluate("document.getElementById('login').hidden").asBoolean());
        logIn("ann", "annann");
        page().until(() -> chromium.evaluate("document.querySelectorAll('tr.process').length")
                .asInt() == 5);
        assertThat(chromium.text("document.body.dataset.role")).isEqualTo("viewer");
        assertThat(chromium.evaluate("document.querySelectorAll('button.act').length").asInt()).isZero();

        int forged = chromium.evaluate("fetch('/api/command', {method: 'POST', credentials: 'same-origin', "
                + "headers: {'Content-Type': 'application/json'}, body: JSON.stringify({line: 'stop " + LOCAL
                + " gate'})}).then(r => r.status)").asInt();
        assertThat(forged).isEqualTo(403);
        assertThat(machine.calls).containsExactly("stop gate");
    }

    /** Waits for the page; an evaluation that fails while it loads counts as not yet. */
    private static ConditionFactory page() {
        return await().atMost(PAGE).ignoreExceptions();
    }

    private void logIn(String user, String password) throws Exception {
        page().until(() -> !chromium.evaluate("document.getElementById('login').hidden").asBoolean());
        chromium.evaluate("document.getElementById('user').value = '" + user + "'; "
                + "document.getElementById('password').value = '" + password + "'; "
                + "document.getElementById('login').requestSubmit(); true");
        page().until(() -> !chromium.evaluate("document.getElementById('console').hidden")
                .asBoolean());
    }
}
