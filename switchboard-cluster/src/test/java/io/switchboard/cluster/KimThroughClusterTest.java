package io.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.Handlers;
import io.switchboard.client.Push;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.demo.DemoApp;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.kim.KimTestClient;
import io.switchboard.protocol.kim.LogicPacket;
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A KIM client (seed 002) on a cluster gate: its requests travel the link to the demo node and back, and a room on
 * the node broadcasts to it and to a Pomelo client through the gate's fan-out, each in its own framing.
 */
class KimThroughClusterTest {
    private final InProcessCluster cluster = new InProcessCluster(LinkSettings.defaults());

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
        ClusterGate gate = cluster.gate("gate-1", b -> b);
        ServiceNode node = cluster.node("demo-1", "demo", DemoApp.register(new Handlers()), b -> b);
        InProcessCluster.awaitLinked(gate, node);

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
}
