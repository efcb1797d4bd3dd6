package io.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.Handlers;
import io.switchboard.client.Push;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.demo.DemoApp;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.domi.DomiEvents;
import io.switchboard.protocol.domi.DomiTestClient;
import io.switchboard.protocol.kim.KimTestClient;
import io.switchboard.protocol.kim.LogicPacket;
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DOMI (seed 001) and KIM (seed 002) clients on a cluster gate: their requests travel the link to the demo node and
 * back, and a room on the node broadcasts to them and to a Pomelo client through the gate's fan-out, each in its own
 * framing.
 */
class FramingsThroughClusterTest {
    private final InProcessCluster cluster = new InProcessCluster(LinkSettings.defaults());
    private ClusterGate gate;

    @BeforeEach
    void startGateAndDemoNode() throws Exception {
        gate = cluster.gate("gate-1", b -> b);
        ServiceNode node = cluster.node("demo-1", "demo", DemoApp.register(new Handlers()), b -> b);
        InProcessCluster.awaitLinked(gate, node);
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(byte[] body) throws Exception {
        return Json.MAPPER.readTree(body);
    }

    @Test
    void aKimClientEchoesAndSharesARoomWithAPomeloClientThroughTheNode() throws Exception {

        KimTestClient bob = cluster.closeLater(KimTestClient.tcp(gate.port()));
        assertThat(bob.login("").header().getStatus()).isEqualTo(Status.Success);
        int echoSeq = bob.request("demo.echo.say", utf8("{\"via\":\"the node\"}"));
        LogicPacket echo = bob.nextLogic();
        assertThat(echo.sequence()).isEqualTo(echoSeq);
        assertThat(echo.header().getStatus()).isEqualTo(Status.Success);
        assertThat(json(echo.body())).isEqualTo(Json.MAPPER.readTree("{\"via\":\"the node\"}"));

        SwitchboardClient ann = cluster.client(gate);
        List<Push> annPushes = new CopyOnWriteArrayList<>();
        ann.onPush(annPushes::add);
        assertThat(ann.request("demo.room.join", Json.MAPPER.readTree("{\"room\":\"r1\",\"name\":\"ann\"}"))
                .get(10, TimeUnit.SECONDS).isError()).isFalse();
        int joinSeq = bob.request("demo.room.join", utf8("{\"room\":\"r1\",\"name\":\"bob\"}"));
        LogicPacket joined = bob.nextLogic();
        assertThat(joined.sequence()).isEqualTo(joinSeq);
        assertThat(json(joined.body()).path("members")).hasSize(2);

        ann.notify("demo.room.say", Json.MAPPER.readTree("{\"text\":\"hi\"}"));
        LogicPacket chat = bob.nextLogic();
        assertThat(chat.header().getFlag()).isEqualTo(Flag.Push);
        assertThat(chat.command()).isEqualTo("onChat");
        assertThat(json(chat.body())).isEqualTo(Json.MAPPER.readTree("{\"from\":\"ann\",\"text\":\"hi\"}"));
        await().atMost(InProcessCluster.WAIT).until(() -> annPushes.stream()
                .anyMatch(p -> p.route().equals("onChat")));
    }

    @Test
    void aDomiClientEchoesAndSharesARoomWithAPomeloClientThroughTheNode() throws Exception {

        DomiTestClient dom = cluster.closeLater(DomiTestClient.tcp(gate.port()));
        assertThat(dom.hello().get("code").asInt()).isEqualTo(200);
        long id = dom.request("demo.echo.say", "{\"via\":\"the node\"}");
        DomiTestClient.Frame echo = dom.nextNotHeartbeat();
        assertThat(echo.requestId()).isEqualTo(id);
        assertThat(echo.type()).isEqualTo(dom.code("demo.echo.say"));
        assertThat(echo.json()).isEqualTo(Json.MAPPER.readTree("{\"via\":\"the node\"}"));

        SwitchboardClient ann = cluster.client(gate);
        List<Push> annPushes = new CopyOnWriteArrayList<>();
        ann.onPush(annPushes::add);
        assertThat(ann.request("demo.room.join", Json.MAPPER.readTree("{\"room\":\"r1\",\"name\":\"ann\"}"))
                .get(10, TimeUnit.SECONDS).isError()).isFalse();
        long join = dom.request("demo.room.join", "{\"room\":\"r1\",\"name\":\"dom\"}");
        DomiTestClient.Frame joined = dom.nextNotHeartbeat();
        assertThat(joined.requestId()).isEqualTo(join);
        assertThat(joined.json().path("members")).hasSize(2);

        ann.notify("demo.room.say", Json.MAPPER.readTree("{\"text\":\"hi\"}"));
        DomiTestClient.Frame chat = dom.nextNotHeartbeat();
        if (chat.type() == DomiEvents.NAMED_PUSH) {
            assertThat(chat.extendText()).isEqualTo("onChat");
        } else {
            assertThat(chat.type()).isEqualTo(dom.code("onChat"));
        }
        assertThat(chat.json()).isEqualTo(Json.MAPPER.readTree("{\"from\":\"ann\",\"text\":\"hi\"}"));
        await().atMost(InProcessCluster.WAIT).until(() -> annPushes.stream()
                .anyMatch(p -> p.route().equals("onChat")));
    }
}
