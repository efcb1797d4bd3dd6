package io.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickCode;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.domi.DomiEvents;
import io.switchboard.protocol.domi.DomiTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo server in-process with DOMI clients (a raw-socket or WebSocket test client) beside Pomelo clients (the
 * Java SDK) on the same port: echo, errors, and a room where both see each other's messages.
 */
class DomiEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> clients = new ArrayList<>();
    private DemoServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start() throws Exception {
        server = DemoServer.start(GateConfig.builder().host("127.0.0.1").port(0), 0);
    }

    private DomiTestClient domi(String transport) throws Exception {
        DomiTestClient client = transport.equals("ws")
                ? DomiTestClient.webSocket(server.port()) : DomiTestClient.tcp(server.port());
        clients.add(client);
        JsonNode answer = client.hello();
        assertThat(answer.get("code").asInt()).isEqualTo(200);
        return client;
    }

    private SwitchboardClient pomelo(String scheme) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(
                URI.create(scheme + "://127.0.0.1:" + server.port())).build();
        clients.add(() -> client.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void echoRequestNotifyAndErrors(String transport) throws Exception {
        start();
        DomiTestClient client = domi(transport);

        long id = client.request("demo.echo.say", "{\"hello\":\"world\"}");
        DomiTestClient.Frame reply = client.nextNotHeartbeat();
        assertThat(reply.type()).isEqualTo(client.code("demo.echo.say"));
        assertThat(reply.requestId()).isEqualTo(id);
        assertThat(reply.json()).isEqualTo(json("{\"hello\":\"world\"}"));

        client.notify("demo.echo.tell", "{\"n\":7}");
        DomiTestClient.Frame push = client.nextNotHeartbeat();
        assertThat(push.type()).isEqualTo(client.code("onTell"));
        assertThat(push.extend()).isEmpty();
        assertThat(push.json()).isEqualTo(json("{\"n\":7}"));

        long leave = client.request("demo.room.leave", "{}");
        DomiTestClient.Frame error = client.nextNotHeartbeat();
        assertThat(error.type()).isEqualTo(DomiEvents.ERROR);
        assertThat(error.requestId()).isEqualTo(leave);
        assertThat(error.json().get("code").asInt()).isEqualTo(DemoErrors.NOT_IN_ROOM.code());
        assertThat(server.server().gate().metrics().detected(ClientProtocol.DOMI)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void domiAndPomeloClientsInOneRoomSeeEachOther(String transport) throws Exception {
        start();
        SwitchboardClient ann = pomelo(transport);
        List<Push> annPushes = new CopyOnWriteArrayList<>();
        ann.onPush(annPushes::add);
        Response joined = ann.request("demo.room.join", json("{\"room\":\"mixed\",\"name\":\"ann\"}"))
                .get(10, TimeUnit.SECONDS);
        assertThat(joined.json()).isEqualTo(json("{\"code\":200,\"members\":[\"ann\"]}"));

        DomiTestClient dom = domi(transport);
        long join = dom.request("demo.room.join", "{\"room\":\"mixed\",\"name\":\"dom\"}");
        DomiTestClient.Frame reply = dom.nextNotHeartbeat();
        assertThat(reply.requestId()).isEqualTo(join);
        assertThat(reply.json()).isEqualTo(json("{\"code\":200,\"members\":[\"ann\",\"dom\"]}"));
        await().atMost(WAIT).until(() -> annPushes.size() == 1);
        assertThat(annPushes.get(0).route()).isEqualTo("onJoin");
        assertThat(annPushes.get(0).json()).isEqualTo(json("{\"name\":\"dom\"}"));

        // DOMI → room: both get the chat, each in its own framing.
        dom.notify("demo.room.say", "{\"text\":\"from domi\"}");
        DomiTestClient.Frame own = dom.nextNotHeartbeat();
        assertChat(dom, own, "{\"from\":\"dom\",\"text\":\"from domi\"}");
        await().atMost(WAIT).until(() -> annPushes.size() == 2);
        assertThat(annPushes.get(1).route()).isEqualTo("onChat");
        assertThat(annPushes.get(1).json()).isEqualTo(json("{\"from\":\"dom\",\"text\":\"from domi\"}"));

        // Pomelo → room.
        ann.notify("demo.room.say", json("{\"text\":\"from pomelo\"}")).get(10, TimeUnit.SECONDS);
        assertChat(dom, dom.nextNotHeartbeat(), "{\"from\":\"ann\",\"text\":\"from pomelo\"}");
        await().atMost(WAIT).until(() -> annPushes.size() == 3);
        assertThat(annPushes.get(2).json()).isEqualTo(json("{\"from\":\"ann\",\"text\":\"from pomelo\"}"));
    }

    /** An onChat push: by its code when the dictionary has one, else named in the extend. */
    private static void assertChat(DomiTestClient client, DomiTestClient.Frame push, String body) throws Exception {
        if (push.type() == DomiEvents.NAMED_PUSH) {
            assertThat(push.extendText()).isEqualTo(DemoRooms.ON_CHAT);
        } else {
            assertThat(push.type()).isEqualTo(client.code(DemoRooms.ON_CHAT));
            assertThat(push.extend()).isEmpty();
        }
        assertThat(push.json()).isEqualTo(json(body));
    }

    @Test
    void malformedFrameClosesOnlyThatConnection() throws Exception {
        start();
        SwitchboardClient pomelo = pomelo("tcp");
        DomiTestClient good = domi("tcp");
        DomiTestClient bad = domi("tcp");
        bad.sendRaw(DomiTestClient.frame(0xFFFF, new byte[0], new byte[0]));
        DomiTestClient.Frame kick = bad.nextNotHeartbeat();
        assertThat(kick.type()).isEqualTo(DomiEvents.KICK);
        assertThat(kick.json().get("reason").asText()).isEqualTo("unknown route code 65535");
        await().atMost(WAIT).until(bad::isClosed);
        assertThat(server.server().gate().metrics().kicks(KickCode.BAD_PACKAGE)).isEqualTo(1);

        long id = good.request("demo.echo.say", "1");
        assertThat(good.nextNotHeartbeat().requestId()).isEqualTo(id);
        assertThat(pomelo.request("demo.echo.say", "2".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS)
                .json()).isEqualTo(json("2"));
    }
}
