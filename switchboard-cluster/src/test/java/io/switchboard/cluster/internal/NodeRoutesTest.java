package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeRoutesTest {
    private final MemoryRegistry registry = new MemoryRegistry();
    private final List<RouteDictionary> handedOut = new CopyOnWriteArrayList<>();
    private NodeRoutes routes;

    @AfterEach
    void close() {
        if (routes != null) {
            routes.close();
        }
        registry.close();
    }

    private Registration node(String id, String type, Set<String> published, Map<String, String> roomKeys) {
        return registry.register(NodeInfo.builder(id, type)
                .metadata(NodeMetadata.ROUTES, NodeMetadata.routes(published))
                .metadata(NodeMetadata.ROOM_KEYS, NodeMetadata.roomKeys(roomKeys))
                .build()).join();
    }

    @Test
    void theDictionaryHoldsTheGatesAndEveryNodesRoutesAndFollowsTheRegistry() {
        node("demo-1", "demo", Set.of("demo.echo.say", "onChat"), Map.of());
        routes = new NodeRoutes(registry, Set.of("gate.local.ping"));
        assertThat(routes.dictionary().routeToCode()).containsKeys("gate.local.ping", "demo.echo.say", "onChat");
        routes.follow(handedOut::add);

        Registration chat = node("chat-1", "chat", Set.of("chat.msg.send", "onMessage"), Map.of());
        await().atMost(5, TimeUnit.SECONDS).until(() -> !handedOut.isEmpty()
                && handedOut.get(handedOut.size() - 1).routeToCode().containsKey("chat.msg.send"));
        assertThat(routes.dictionary().routeToCode()).containsKeys("demo.echo.say", "chat.msg.send", "onMessage");

        chat.deregister().join();
        await().atMost(5, TimeUnit.SECONDS).until(() -> !routes.dictionary().routeToCode().containsKey("onMessage"));
        assertThat(routes.dictionary().routeToCode()).containsKey("demo.echo.say");
    }

    @Test
    void roomKeysComeFromTheNodesAndGatesPublishNothing() {
        node("gate-1", NodeMetadata.GATE_TYPE, Set.of("not.from.gates"), Map.of("not.from.gates", "x"));
        node("demo-1", "demo", Set.of("demo.room.join"), Map.of("demo.room.join", "room"));
        routes = new NodeRoutes(registry, Set.of());
        byte[] body = "{\"room\":\"r7\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(routes.placementKey("demo.room.join").of("demo.room.join", body)).isEqualTo("r7");
        assertThat(routes.placementKey("demo.room.say")).isNull();
        assertThat(routes.placementKey("not.from.gates")).isNull();
        assertThat(routes.dictionary().routeToCode()).doesNotContainKey("not.from.gates");
    }

    @Test
    void aRouteNoDictionaryCanHoldIsSkippedNotFatal() {
        node("odd-1", "odd", Set.of("x".repeat(300), "odd.ok.route"), Map.of());
        routes = new NodeRoutes(registry, Set.of());
        assertThat(routes.dictionary().routeToCode()).containsKey("odd.ok.route").hasSize(
                routes.dictionary().routeToCode().size());
        assertThat(routes.dictionary().routeToCode().keySet()).noneMatch(r -> r.length() > 255);
    }
}
