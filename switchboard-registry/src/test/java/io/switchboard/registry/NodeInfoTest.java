package io.switchboard.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.registry.spi.NodeInfoJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeInfoTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private static NodeInfo sample() {
        return NodeInfo.builder("chat-1", "chat")
                .nodeId(7)
                .version(3)
                .address(NodeInfo.CLIENT_ADDRESS, "tcp://127.0.0.1:10101")
                .address(NodeInfo.CLUSTER_ADDRESS, "127.0.0.1:10301")
                .state(NodeState.DRAINING)
                .load(new Load(0.25, 12, 3))
                .startedAt(1_700_000_000_000L)
                .metadata("pid", "4242")
                .build();
    }

    @Test
    void roundTripsThroughAPlainObjectMapper() throws Exception {
        NodeInfo info = sample();

        String json = mapper.writeValueAsString(info);

        assertThat(mapper.readValue(json, NodeInfo.class)).isEqualTo(info);
        assertThat(NodeInfoJson.decode(NodeInfoJson.encode(info))).isEqualTo(info);
        ObjectNode tree = (ObjectNode) mapper.readTree(json);
        assertThat(tree.get("nodeId").asInt()).isEqualTo(7);
        assertThat(tree.get("state").asText()).isEqualTo("DRAINING");
        assertThat(tree.get("load").get("sessions").asInt()).isEqualTo(12);
        assertThat(tree.get("addresses").get("client").asText()).isEqualTo("tcp://127.0.0.1:10101");
        assertThat(tree.get("startedAt").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(tree.has("serving")).isFalse();
    }

    @Test
    void readsRecordsFromNewerWritersAndFillsDefaults() throws Exception {
        String json = "{\"id\":\"gate-1\",\"nodeId\":2,\"type\":\"gate\",\"version\":1,\"zone\":\"a\","
                + "\"load\":{\"memoryUsedRatio\":0.5,\"sessions\":1,\"rooms\":0,\"cpu\":0.3}}";

        NodeInfo info = mapper.readValue(json, NodeInfo.class);

        assertThat(info.state()).isEqualTo(NodeState.SERVING);
        assertThat(info.addresses()).isEmpty();
        assertThat(info.metadata()).isEmpty();
        assertThat(info.load().memoryUsedRatio()).isEqualTo(0.5);
    }

    @Test
    void buildsWithDefaultsAndChangesWithWithers() {
        NodeInfo info = NodeInfo.builder("gate-1", "gate").build();

        assertThat(info.nodeId()).isEqualTo(NodeInfo.UNASSIGNED);
        assertThat(info.isServing()).isTrue();
        assertThat(info.load()).isEqualTo(Load.IDLE);
        assertThat(info.startedAt()).isPositive();
        NodeInfo changed = info.withNodeId(5).withState(NodeState.DRAINING).withAddress("admin", "http://h:1")
                .withMetadata("k", "v").withLoad(Load.IDLE.withSessions(4).withRooms(1));
        assertThat(changed.nodeId()).isEqualTo(5);
        assertThat(changed.isServing()).isFalse();
        assertThat(changed.address("admin")).contains("http://h:1");
        assertThat(changed.address("client")).isEmpty();
        assertThat(changed.metadata()).containsEntry("k", "v");
        assertThat(changed.load().sessions()).isEqualTo(4);
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
        assertThatThrownBy(() -> changed.addresses().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesWhatCannotBeRegistered() {
        assertThatThrownBy(() -> NodeInfo.builder("a/b", "chat").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeInfo.builder("", "chat").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeInfo.builder("a", "chat.room").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeInfo.builder("a", "chat").nodeId(1024).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeInfo.builder("a", "chat").version(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Load(1.5, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Load(Double.NaN, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Load(0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(NodeInfo.builder("pid-1@host.example:2", "chat_v2").build().id()).isEqualTo("pid-1@host.example:2");
    }

    @Test
    void measuredLoadIsARatio() {
        Load load = Load.measure(3, 2);

        assertThat(load.memoryUsedRatio()).isBetween(0.0, 1.0).isPositive();
        assertThat(load.sessions()).isEqualTo(3);
        assertThat(load.rooms()).isEqualTo(2);
    }
}
