package io.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.Push;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.kim.KimTestClient;
import io.switchboard.protocol.kim.LogicPacket;
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.Status;
import org.junit.jupiter.api.AfterEach;
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
 * A KIM client (seed 002) and a Pomelo client (the SDK) on the demo server in-process: the KIM client logs in through
 * the demo's acceptor, echoes, and shares a room with the Pomelo client; each sees the other's messages, the KIM
 * client's as KIM push packets encoded by the rooms' encode-once fan-out.
 */
class KimDemoEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private DemoServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static JsonNode json(byte[] body) throws Exception {
        return Json.MAPPER.readTree(body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void kimAndPomeloClientsShareARoom(String scheme) throws Exception {
        server = DemoServer.start(GateConfig.builder().host("127.0.0.1").port(0), 0);
        KimTestClient bob = scheme.equals("tcp") ? KimTestClient.tcp(server.port())
                : KimTestClient.webSocket(URI.create("ws://127.0.0.1:" + server.port() + "/"));
        closing.add(bob);
        assertThat(bob.login("").header().getStatus()).isEqualTo(Status.Success);

        int echoSeq = bob.request("demo.echo.say", utf8("{\"hello\":\"kim\"}"));
        LogicPacket echo = bob.nextLogic();
        assertThat(echo.sequence()).isEqualTo(echoSeq);
        assertThat(echo.header().getStatus()).isEqualTo(Status.Success);
        assertThat(json(echo.body())).isEqualTo(json("{\"hello\":\"kim\"}"));

        SwitchboardClient ann = SwitchboardClient.builder(URI.create(scheme + "://127.0.0.1:" + server.port()))
                .build();
        closing.add(() -> ann.close().get(5, TimeUnit.SECONDS));
        ann.connect().get(10, TimeUnit.SECONDS);
        List<Push> annPushes = new CopyOnWriteArrayList<>();
        ann.onPush(annPushes::add);
        assertThat(ann.request("demo.room.join", json("{\"room\":\"r1\",\"name\":\"ann\"}"))
                .get(10, TimeUnit.SECONDS).json()).isEqualTo(json("{\"code\":200,\"members\":[\"ann\"]}"));

        int joinSeq = bob.request("demo.room.join", utf8("{\"room\":\"r1\",\"name\":\"bob\"}"));
        LogicPacket joined = bob.nextLogic();
        assertThat(joined.sequence()).isEqualTo(joinSeq);
        assertThat(json(joined.body())).isEqualTo(json("{\"code\":200,\"members\":[\"ann\",\"bob\"]}"));
        await().atMost(WAIT).until(() -> annPushes.size() == 1);
        assertThat(annPushes.get(0).route()).isEqualTo("onJoin");
        assertThat(annPushes.get(0).json()).isEqualTo(json("{\"name\":\"bob\"}"));

        // Pomelo → room: the KIM client gets a push packet (flag push, the route as command).
        ann.notify("demo.room.say", json("{\"text\":\"hi\"}"));
        LogicPacket chat = bob.nextLogic();
        assertThat(chat.header().getFlag()).isEqualTo(Flag.Push);
        assertThat(chat.command()).isEqualTo("onChat");
        assertThat(json(chat.body())).isEqualTo(json("{\"from\":\"ann\",\"text\":\"hi\"}"));

        // KIM → room: every logic packet is a request, so the KIM client gets its answer and its own chat.
        int saySeq = bob.request("demo.room.say", utf8("{\"text\":\"yo\"}"));
        List<LogicPacket> bobGot = List.of(bob.nextLogic(), bob.nextLogic());
        assertThat(bobGot).anySatisfy(p -> {
            assertThat(p.header().getFlag()).isEqualTo(Flag.Response);
            assertThat(p.sequence()).isEqualTo(saySeq);
            assertThat(p.header().getStatus()).isEqualTo(Status.Success);
        });
        assertThat(bobGot).anySatisfy(p -> {
            assertThat(p.header().getFlag()).isEqualTo(Flag.Push);
            assertThat(p.command()).isEqualTo("onChat");
        });
        await().atMost(WAIT).until(() -> annPushes.size() == 3);
        assertThat(annPushes.get(2).route()).isEqualTo("onChat");
        assertThat(annPushes.get(2).json()).isEqualTo(json("{\"from\":\"bob\",\"text\":\"yo\"}"));
    }
}
