package io.switchboard.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registration;
import io.switchboard.registry.Registry;
import io.switchboard.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The topology page in real headless Chromium against a manager in-process on a manual ticker, with real loopback
 * endpoints: the states it shows, an endpoint going down when its socket closes (the page changes without a reload),
 * a reload adding an endpoint, and a refused reload showing its error.
 */
class TopologyPageBrowserTest {
    /** An endpoint id that would be markup if the page ever put values in as HTML. */
    private static final String EVIL_ID = "<img src=x onerror=window.pwned=1>";
    private static final Duration PAGE = Duration.ofSeconds(30);
    /** Every shown endpoint as {@code module/id → state}, read from the page's DOM. */
    private static final String SHOWN = "JSON.stringify(Object.fromEntries([...document.querySelectorAll("
            + "'#topology li.endpoint')].map(e => [e.dataset.module + '/' + e.dataset.id, e.dataset.state])))";

    @TempDir
    Path dir;
    @TempDir
    Path profile;
    private final ManualTicker ticker = new ManualTicker();
    private ServerSocket g1;
    private ServerSocket g2;
    private ResourceServer server;
    private HeadlessChromium chromium;

    @AfterEach
    void stop() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        g1.close();
        g2.close();
    }

    @Test
    void thePageShowsStatesAndFollowsProbesAndReloadsLive() throws Exception {
        g1 = listen();
        g2 = listen();
        // A port that was open a moment ago and is closed now: its probes fail, so it stays pending (never answered).
        ServerSocket gone = listen();
        int deadPort = gone.getLocalPort();
        gone.close();
        writeConf(deadPort, "");
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).ticker(ticker).build().start();
        // The first tick probes every new endpoint at once.
        await().atMost(PAGE).until(() -> server.probesCompleted() >= 3);

        chromium = HeadlessChromium.open(server.address() + "/", profile);

        await().atMost(PAGE).untilAsserted(() -> assertThat(shown()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "gate/g1", "up", "gate/g2", "up", "gate/dead", "pending", "gate/svc", "unprobed",
                "group/" + EVIL_ID, "unprobed")));
        assertThat(chromium.text("document.querySelector('#topology li.endpoint[data-id=\"g1\"]').textContent"))
                .contains("g1").contains("inner 127.0.0.1").contains("port " + g1.getLocalPort()).contains("probed");
        // The id from the conf file is text on the page, not an element, and ran nothing.
        assertThat(chromium.text("document.querySelector('#topology li.endpoint[data-module=\"group\"] .id')"
                + ".textContent")).isEqualTo(EVIL_ID);
        assertThat(chromium.evaluate("document.querySelectorAll('#topology img').length").asInt()).isZero();
        assertThat(chromium.evaluate("window.pwned === undefined").asBoolean()).isTrue();
        assertThat(chromium.text("document.getElementById('generation').textContent")).isEqualTo("1");
        assertThat(chromium.text("document.getElementById('connection').textContent")).isEqualTo("live");
        String upColour = colour("g1");
        assertThat(upColour).isEqualTo(legendColour("up"));
        assertThat(colour("dead")).isEqualTo(legendColour("pending"));
        assertThat(colour("svc")).isEqualTo(legendColour("unprobed"));
        assertThat(colour("dead")).isNotEqualTo(upColour);
        assertThat(colour("svc")).isNotEqualTo(upColour).isNotEqualTo(colour("dead"));
        // A page that reloaded would lose this.
        chromium.evaluate("window.sameDocument = 'yes'");

        // A process registers through resource:// on the unprobed svc: the page shows it come, then go.
        assertThat(chromium.text("document.querySelector('#topology li.endpoint[data-id=\"svc\"]').dataset.process"))
                .isEqualTo("none");
        try (Registry registry = ResourceRegistry.builder(URI.create(server.address()))
                .open()) {
            Registration registration = registry.register(
                    NodeInfo.builder("svc", "gate").build()).join();
            await().atMost(PAGE).untilAsserted(() -> assertThat(chromium.text(
                    "document.querySelector('#topology li.endpoint[data-id=\"svc\"]').dataset.process"))
                    .isEqualTo("serving"));
            assertThat(chromium.text("document.querySelector('#topology li.endpoint[data-id=\"svc\"] .process')"
                    + ".textContent")).contains("svc #3 serving");
            registration.deregister().join();
            await().atMost(PAGE).untilAsserted(() -> assertThat(chromium.text(
                    "document.querySelector('#topology li.endpoint[data-id=\"svc\"]').dataset.process"))
                    .isEqualTo("none"));
        }

        // g2 stops answering: down after lose_time (2) failed probes, and the page follows through its watch.
        g2.close();
        TestConf.probeRound(server, ticker, 3);
        TestConf.probeRound(server, ticker, 3);
        // The never-answering one is down as well by now: lose_time failures count from the first probe.
        await().atMost(PAGE).untilAsserted(() -> assertThat(shown()).containsEntry("gate/g2", "down")
                .containsEntry("gate/g1", "up").containsEntry("gate/dead", "down"));
        assertThat(colour("g2")).isNotEqualTo(upColour).isNotEqualTo(colour("svc")).isEqualTo(legendColour("down"));
        assertThat(chromium.text("window.sameDocument")).isEqualTo("yes");

        // A reload adds an endpoint: the page shows it and the new generation.
        writeConf(deadPort, """
                , { "id": "added", "inner_ip": "127.0.0.1", "out_ip": "127.0.0.1", "port": 10109 }""");
        reload();
        await().atMost(PAGE).untilAsserted(() -> assertThat(shown()).containsEntry("gate/added", "unprobed"));
        await().atMost(PAGE).untilAsserted(() -> assertThat(
                chromium.text("document.getElementById('generation').textContent")).isEqualTo("2"));
        assertThat(chromium.evaluate("document.getElementById('reload-error').hidden").asBoolean()).isTrue();

        // A refused reload: the page says why, and still shows generation 2.
        TestConf.file(dir, "kv_gate.conf", "{ \"module\": \"gate\", \"kv_list\": [ ");
        reload();
        await().atMost(PAGE).untilAsserted(() -> assertThat(
                chromium.evaluate("document.getElementById('reload-error').hidden").asBoolean()).isFalse());
        assertThat(chromium.text("document.getElementById('reload-errors').textContent")).startsWith("kv_gate.conf:1:");
        assertThat(chromium.text("document.getElementById('generation').textContent")).isEqualTo("2");
        assertThat(shown()).containsEntry("gate/added", "unprobed");
        assertThat(chromium.text("window.sameDocument")).isEqualTo("yes");
    }

    private Map<String, String> shown() throws Exception {
        JsonNode entries = new com.fasterxml.jackson.databind.ObjectMapper().readTree(chromium.text(SHOWN));
        Map<String, String> states = new HashMap<>();
        entries.fields().forEachRemaining(entry -> states.put(entry.getKey(), entry.getValue().asText()));
        return states;
    }

    private String colour(String id) throws Exception {
        return chromium.text("getComputedStyle(document.querySelector('#topology li.endpoint[data-id=\"" + id
                + "\"]')).backgroundColor");
    }

    private String legendColour(String state) throws Exception {
        return chromium.text("getComputedStyle(document.querySelector('#legend .state-" + state
                + "')).backgroundColor");
    }

    private void reload() throws Exception {
        long generation = server.generation();
        int errors = server.lastReloadErrors().size();
        ticker.advance(ResourceServer.DEFAULT_RELOAD_EVERY);
        server.tick().sync();
        await().atMost(PAGE).until(() -> server.generation() != generation
                || server.lastReloadErrors().size() != errors);
    }

    private static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** gate: g1, g2 and dead probed in sz/s1, svc served unprobed; group: one unprobed endpoint with a hostile id. */
    private void writeConf(int deadPort, String moreServed) {
        TestConf.file(dir, "module.conf", """
                { "module_list": [
                    { "module": "gate", "depend_file": "depend_gate.conf", "idc_file": "idc_gate.conf",
                      "kv_file": "kv_gate.conf" },
                    { "module": "group", "depend_file": "depend_group.conf", "idc_file": "idc_group.conf",
                      "kv_file": "kv_group.conf" } ] }
                """);
        TestConf.file(dir, "depend_gate.conf", "{ \"module\": \"gate\", \"depend_list\": [ { \"module\": \"group\" } ] }");
        TestConf.file(dir, "depend_group.conf", "{ \"module\": \"group\", \"depend_list\": [] }");
        TestConf.file(dir, "idc_gate.conf", """
                { "module": "gate", "idc_list": [ { "idc": "sz", "set_list": [ { "set": "s1",
                    "heartbeat": { "heartbeat_ip": "inner_ip", "heartbeat_gap": %d, "lose_time": 2, "recover_time": 2 },
                    "heartbeat_list": [
                        { "id": "g1", "inner_ip": "127.0.0.1", "out_ip": "127.0.0.1", "port": %d },
                        { "id": "g2", "inner_ip": "127.0.0.1", "out_ip": "127.0.0.1", "port": %d },
                        { "id": "dead", "inner_ip": "127.0.0.1", "out_ip": "127.0.0.1", "port": %d } ],
                    "service_list": [
                        { "id": "svc", "inner_ip": "10.0.0.1", "out_ip": "127.0.0.1", "port": 10108 }%s ] } ] } ] }
                """.formatted(TestConf.GAP_SECONDS, g1.getLocalPort(), g2.getLocalPort(), deadPort, moreServed));
        TestConf.file(dir, "idc_group.conf", """
                { "module": "group", "idc_list": [ { "idc": "sh", "set_list": [ { "set": "s1", "service_list": [
                    { "id": "%s", "inner_ip": "10.0.2.1", "out_ip": "127.0.0.1", "port": 10201 } ] } ] } ] }
                """.formatted(EVIL_ID));
        TestConf.file(dir, "kv_gate.conf", TestConf.kv("gate", "30"));
        TestConf.file(dir, "kv_group.conf", TestConf.kv("group", "30"));
    }
}
