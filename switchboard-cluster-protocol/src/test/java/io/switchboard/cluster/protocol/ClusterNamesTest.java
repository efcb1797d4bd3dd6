package io.switchboard.cluster.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterNamesTest {

    @Test
    void pushPayloadKeepsRouteAndBodyWithTheLayoutItDocuments() {
        byte[] payload = PushPayload.encode("onChat", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(payload[0]).isZero();
        assertThat(payload[1]).isEqualTo((byte) "onChat".length());
        assertThat(PushPayload.route(payload)).isEqualTo("onChat");
        assertThat(new String(PushPayload.body(payload), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThatThrownBy(() -> PushPayload.route(new byte[]{0, 9, 'x'})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushPayload.body(new byte[]{0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushPayload.encode("r".repeat(70_000), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clusterSessionIdsCarryTheGateAndItsSession() {
        long id = ClusterSessionIds.of(1022, (1L << 53) - 1);
        assertThat(ClusterSessionIds.gateOf(id)).isEqualTo(1022);
        assertThat(ClusterSessionIds.gateSessionOf(id)).isEqualTo((1L << 53) - 1);
        assertThat(id).isPositive();
    }

    @Test
    void nodeMetadataRoundTripsRoutesAndRoomKeys() {
        assertThat(NodeMetadata.parseRoutes(NodeMetadata.routes(List.of("a.b.c", "onX"))))
                .containsExactly("a.b.c", "onX");
        assertThat(NodeMetadata.parseRoutes(null)).isEmpty();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("demo.room.join", "room");
        keys.put("game.table.sit", "table");
        assertThat(NodeMetadata.parseRoomKeys(NodeMetadata.roomKeys(keys))).isEqualTo(keys);
        assertThat(NodeMetadata.parseRoomKeys("bad,=x,y=,a.b.c=f")).isEqualTo(Map.of("a.b.c", "f"));
        assertThat(SystemRoutes.serviceOf("chat.msg.send")).isEqualTo("chat");
    }
}
