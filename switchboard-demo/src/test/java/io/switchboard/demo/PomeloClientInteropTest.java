package io.switchboard.demo;

import io.switchboard.testing.ExternalPrograms;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gate.GateConfig;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.RouteDictionary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NetEase's own Pomelo client code, unchanged, against the demo server in-process: {@code src/test/node/pomelo-interop.js}
 * drives the official browser client {@code pomelo-jsclient-websocket} over WebSocket (with only the browser
 * globals it reads supplied) and {@code pomelo-protocol}'s Package/Message codec over raw TCP, and prints what it
 * observed as JSON, which this test checks value by value; {@code pomelo-resume.js} has that browser client resume a
 * dropped session with {@code resume} and {@code received} in its handshake {@code user}. The npm packages are pinned by
 * {@code src/test/node/package-lock.json} and installed with {@code npm ci} under {@code target/pomelo-interop}.
 * Without node or npm the test is skipped loudly, or fails when CI=true.
 */
class PomeloClientInteropTest {
    private static final Path SOURCES = Path.of("src", "test", "node");
    /** npm installs the pinned packages here; mvn clean removes them. */
    private static final Path NODE_DIR = Path.of("target", "pomelo-interop");
    private static final String SCRIPT = "pomelo-interop.js";
    private static final String SUMMARY = "POMELO-INTEROP-SUMMARY ";
    /** What the scripts share. */
    private static final String HARNESS = "harness.js";
    private static final String RESUME_SCRIPT = "pomelo-resume.js";
    private static final String RESUME_SUMMARY = "POMELO-RESUME-SUMMARY ";

    private DemoServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void netEaseClientsTalkToTheDemoUnchanged(@TempDir Path temp) throws Exception {
        server = DemoServer.start(GateConfig.builder().host("127.0.0.1").port(0).heartbeat(Duration.ofSeconds(1)), -1);
        RouteDictionary dictionary = server.server().gate().config().dictionary();
        JsonNode summary = runNode(temp, SCRIPT, SUMMARY);
        assertThat(summary.path("checks").size()).isGreaterThanOrEqualTo(21);

        long routeNotFound = HandlerErrors.ROUTE_NOT_FOUND.code();
        int echoSay = dictionary.codeOf("demo.echo.say");
        int onTell = dictionary.codeOf("onTell");

        // (b) pomelo-protocol (node mode, as Pomelo servers load it) over raw TCP
        JsonNode raw = summary.path("raw");
        assertThat(raw.path("codecMode").asText()).isEqualTo("Buffer");
        assertThat(raw.path("handshake").path("code").asInt()).isEqualTo(200);
        assertThat(raw.path("handshake").path("heartbeat").asInt()).isEqualTo(1);
        assertThat(raw.path("handshake").path("useDict").asBoolean()).isTrue();
        assertThat(raw.path("handshake").path("serializer").asText()).isEqualTo("json");
        assertThat(raw.path("handshake").path("dictSize").asInt()).isEqualTo(dictionary.routeToCode().size());
        assertThat(raw.path("dict").path("demo.echo.say").asInt()).isEqualTo(echoSay).isGreaterThanOrEqualTo(50);
        assertThat(raw.path("dict").path("demo.echo.tell").asInt()).isEqualTo(dictionary.codeOf("demo.echo.tell"));
        assertThat(raw.path("dict").path("onTell").asInt()).isEqualTo(onTell);
        assertThat(raw.path("ackBytes").asText()).isEqualTo("02 00 00 00");
        assertThat(raw.path("heartbeatAfterAck").asBoolean()).isTrue();
        // request id 1 with the route as its 2-byte code: flag 01, id 01, code
        assertThat(raw.path("compressedRequestBytes").asText())
                .startsWith(String.format("04 00 00 38 01 01 %02x %02x", echoSay >> 8, echoSay & 0xff));
        JsonNode echo = raw.path("compressedEcho");
        assertThat(echo.path("flag").asInt()).isEqualTo(0x04);
        assertThat(echo.path("id").asInt()).isEqualTo(1);
        assertThat(echo.path("bytes").asText()).startsWith("04 01 7b");
        assertThat(echo.path("body")).isEqualTo(json("{\"hello\":\"world\",\"n\":[1,2],\"text\":\"h\u00e9llo \u2603 \ud83c\udf4a\"}"));
        // request id 300 (varint ac 02) with a string route
        assertThat(raw.path("stringRouteRequestBytes").asText()).startsWith("04 00 00 1b 00 ac 02 0d 64 65");
        assertThat(raw.path("varintEcho").path("id").asInt()).isEqualTo(300);
        assertThat(raw.path("varintEcho").path("bytes").asText()).startsWith("04 ac 02 7b");
        assertThat(raw.path("varintEcho").path("body")).isEqualTo(json("{\"id\":300}"));
        // notify demo.echo.tell (compressed) -> push onTell, route compressed to its code
        JsonNode tell = raw.path("onTell");
        assertThat(tell.path("flag").asInt()).isEqualTo(0x07);
        assertThat(tell.path("compressRoute").asInt()).isEqualTo(1);
        assertThat(tell.path("routeCode").asInt()).isEqualTo(onTell);
        assertThat(tell.path("route").asText()).isEqualTo("onTell");
        assertThat(tell.path("bytes").asText())
                .isEqualTo(String.format("07 %02x %02x 7b 22 6e 22 3a 37 7d", onTell >> 8, onTell & 0xff));
        assertThat(tell.path("body")).isEqualTo(json("{\"n\":7}"));
        assertThat(raw.path("join")).isEqualTo(json("{\"code\":200,\"members\":[\"raw\"]}"));
        // unknown route: a response (type 2 to Pomelo's decoder) with Pitaya's error bit 0x20 and {code,msg}
        JsonNode unknown = raw.path("unknownRoute");
        assertThat(unknown.path("flag").asInt()).isEqualTo(0x24);
        assertThat(unknown.path("decodedType").asInt()).isEqualTo(2);
        assertThat(unknown.path("body").path("code").asLong()).isEqualTo(routeNotFound);
        assertThat(unknown.path("body").path("msg").asText()).contains("demo.nope.nope");
        // heartbeats answered one interval later, as NetEase's clients do: a few, not a storm
        assertThat(raw.path("heartbeatsReceived").asInt()).isBetween(2, 6);

        // (a) pomelo-jsclient-websocket, unchanged, over WebSocket
        JsonNode browser = summary.path("browser");
        assertThat(browser.path("codecMode").asText()).isEqualTo("Uint8Array");
        assertThat(browser.path("loadedUnchanged").asText())
                .endsWith("node_modules/pomelo-jsclient-websocket/lib/pomelo-client.js");
        assertThat(browser.path("initDone").asBoolean()).isTrue();
        assertThat(browser.path("clientHandshake").path("sys").path("type").asText()).isEqualTo("js-websocket");
        assertThat(browser.path("clientHandshake").path("user")).isEqualTo(json("{\"who\":\"browser\"}"));
        assertThat(browser.path("handshake").path("code").asInt()).isEqualTo(200);
        assertThat(browser.path("handshake").path("heartbeat").asInt()).isEqualTo(1);
        assertThat(browser.path("echoRouteCompressed").asBoolean()).isTrue();
        assertThat(browser.path("echoRequestBytes").asText())
                .contains(String.format(" 01 01 %02x %02x 7b", echoSay >> 8, echoSay & 0xff));
        assertThat(browser.path("echo")).isEqualTo(json("{\"hello\":\"world\",\"n\":[1,2],\"text\":\"h\u00e9llo \u2603\"}"));
        assertThat(browser.path("onTell")).isEqualTo(json("{\"n\":7}"));
        assertThat(browser.path("join")).isEqualTo(json("{\"code\":200,\"members\":[\"ann\"]}"));
        assertThat(browser.path("onChat")).isEqualTo(json("{\"from\":\"ann\",\"text\":\"hi\"}"));
        assertThat(browser.path("unknownRoute").path("code").asLong()).isEqualTo(routeNotFound);
        assertThat(browser.path("unknownRoute").path("msg").asText())
                .isEqualTo("no handler for route 'demo.nope.nope'");
        assertThat(browser.path("unknownRouteFlag").asInt()).isEqualTo(0x24);
        assertThat(browser.path("late")).isEqualTo(json("{\"after\":\"heartbeats\"}"));
        assertThat(browser.path("heartbeatsReceived").asInt()).isBetween(3, 8);
        assertThat(browser.path("heartbeatsSent").asInt()).isBetween(2, 7);
        assertThat(browser.path("heartbeatTimeouts").asInt()).isZero();
        assertThat(browser.path("closesBeforeDisconnect").asInt()).isZero();
        assertThat(browser.path("errors")).isEmpty();
    }

    @Test
    void netEasesBrowserClientResumesWithTwoFieldsInItsHandshakeUser(@TempDir Path temp) throws Exception {
        server = DemoServer.start(GateConfig.builder().host("127.0.0.1").port(0).resumeGrace(Duration.ofMinutes(5)),
                -1);
        JsonNode summary = runNode(temp, RESUME_SCRIPT, RESUME_SUMMARY);
        assertThat(summary.path("checks").size()).isGreaterThanOrEqualTo(6);

        long id = summary.path("firstSession").path("id").asLong();
        assertThat(summary.path("firstSession").path("hasToken").asBoolean()).isTrue();
        assertThat(summary.path("annJoin").path("code").asInt()).isEqualTo(200);
        assertThat(summary.path("bobJoin").path("members")).isEqualTo(json("[\"ann\",\"bob\"]"));
        assertThat(summary.path("receivedAtDrop").asInt()).as("bob's onJoin").isEqualTo(1);
        JsonNode resumed = summary.path("resumeAnswer");
        assertThat(resumed.path("resumed").asBoolean()).isTrue();
        assertThat(resumed.path("id").asLong()).isEqualTo(id);
        assertThat(summary.path("replayed")).isEqualTo(json("[\"one\",\"two\",\"three\"]"));
        assertThat(summary.path("annChats")).isEqualTo(json("[\"bob:one\",\"bob:two\",\"bob:three\",\"ann:back\"]"));
        assertThat(summary.path("bobHeard")).contains(json("\"ann:back\""));
        assertThat(summary.path("bobLeaves").asInt()).isZero();
        assertThat(summary.path("reusedAnswer").path("resumed").asBoolean(true)).isFalse();
        assertThat(server.server().gate().metrics().resumes()).isEqualTo(1);
    }

    /**
     * Runs {@code script} of {@code src/test/node} against the server under node, with the pinned npm packages, and
     * returns its summary line's JSON once the script's own checks all passed.
     */
    private JsonNode runNode(Path temp, String script, String summaryPrefix) throws Exception {
        if (!ExternalPrograms.runs("node", "--version")) {
            ExternalPrograms.missing("node (Debian package nodejs)");
        }
        Path nodeDir = ExternalPrograms.npmCi(SOURCES, NODE_DIR);
        for (String file : new String[] {script, HARNESS}) {
            Files.copy(SOURCES.resolve(file), nodeDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = temp.resolve("node.out");
        Path err = temp.resolve("node.err");
        Process node = new ProcessBuilder("node", script, "127.0.0.1", Integer.toString(server.port()))
                .directory(nodeDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        boolean finished = node.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String stdout = Files.readString(out);
        String output = stdout + "\n--- stderr ---\n" + Files.readString(err);
        System.out.println(output);
        assertThat(finished).as("node finished within 90 s:\n%s", output).isTrue();
        String line = Arrays.stream(stdout.split("\n")).filter(l -> l.startsWith(summaryPrefix)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no summary line from node:\n" + output));
        JsonNode summary = Json.MAPPER.readTree(line.substring(summaryPrefix.length()));
        assertThat(summary.path("failures")).as("the script's own checks:\n%s", output).isEmpty();
        assertThat(node.exitValue()).as("node's exit code:\n%s", output).isZero();
        assertThat(summary.path("passed").asBoolean()).isTrue();
        return summary;
    }

    private static JsonNode json(String text) throws IOException {
        return Json.MAPPER.readTree(text);
    }
}
