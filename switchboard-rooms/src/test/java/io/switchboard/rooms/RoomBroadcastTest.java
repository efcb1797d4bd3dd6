package io.switchboard.rooms;

import io.switchboard.api.errors.RoomErrors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.server.StandaloneServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One room with members on two gates, over real connections: a broadcast reaches every member, in order, whatever
 * its transport and encoding (zlib bodies for one client, route codes for all).
 */
class RoomBroadcastTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RoomRegistry rooms = RoomRegistry.builder().build();
    private final List<StandaloneServer> gates = new ArrayList<>();
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        gates.forEach(StandaloneServer::close);
        rooms.close();
    }

    private StandaloneServer gate() throws Exception {
        Handlers handlers = new Handlers()
                .request("test.room.join", ctx -> {
                    JsonNode body = ctx.body(JsonNode.class);
                    Room room = rooms.getOrCreate(body.get("room").asText());
                    return room.submit(() -> {
                        room.addUser(body.get("uid").asText(), ctx.session());
                        return Map.of("members", room.members().stream().map(RoomMember::userId).toList());
                    });
                })
                .pushRoutes("onSay");
        rooms.route(handlers, "test.room.say", RoomLocator.sessionRoom());
        StandaloneServer gate = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0))
                .handlers(handlers).adminPort(-1).build().start();
        gates.add(gate);
        return gate;
    }

    private SwitchboardClient client(String scheme, StandaloneServer gate, boolean compress) throws Exception {
        var builder = SwitchboardClient.builder(URI.create(scheme + "://127.0.0.1:" + gate.port()));
        if (compress) {
            builder.sys("compress", BooleanNode.TRUE);
        }
        SwitchboardClient client = builder.build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void aBroadcastReachesMembersOnTwoGatesInOrder() throws Exception {
        rooms.handle("test.room.say", msg -> {
            RoomMember from = msg.member();
            msg.room().broadcast("onSay", Map.of("from", from.userId(), "text", msg.body(JsonNode.class).get("text")));
            return Map.of("code", 200);
        });
        StandaloneServer gate1 = gate();
        StandaloneServer gate2 = gate();
        SwitchboardClient ann = client("tcp", gate1, false);
        SwitchboardClient bob = client("ws", gate2, true);
        SwitchboardClient carl = client("tcp", gate2, false);
        String text = "x".repeat(300); // long enough that zlib really compresses it
        List<List<Push>> received = new ArrayList<>();
        for (SwitchboardClient c : List.of(ann, bob, carl)) {
            List<Push> pushes = new CopyOnWriteArrayList<>();
            c.onPush("onSay", pushes::add);
            received.add(pushes);
        }
        join(ann, "ann");
        join(bob, "bob");
        Response last = join(carl, "carl");
        assertThat(last.json().get("members")).isEqualTo(Json.MAPPER.readTree("[\"ann\",\"bob\",\"carl\"]"));

        int messages = 50;
        for (int i = 0; i < messages; i++) {
            (i % 2 == 0 ? ann : bob).notify("test.room.say", Json.MAPPER.readTree(
                    "{\"text\":\"" + i + text + "\"}"));
        }
        for (List<Push> pushes : received) {
            await().atMost(WAIT).until(() -> pushes.size() == messages);
        }
        for (List<Push> pushes : received) {
            List<Integer> annsOrder = new ArrayList<>();
            for (Push push : pushes) {
                JsonNode body = push.json();
                assertThat(body.get("text").asText()).endsWith(text);
                if (body.get("from").asText().equals("ann")) {
                    annsOrder.add(Integer.parseInt(body.get("text").asText().replace(text, "")));
                }
            }
            assertThat(annsOrder).isSorted().hasSize(messages / 2);
        }
        assertThat(rooms.metrics().broadcasts()).isEqualTo(messages);
    }

    @Test
    void messagesForNoRoomOrNoHandlerGetCodes() throws Exception {
        StandaloneServer gate = gate();
        SwitchboardClient ann = client("tcp", gate, false);
        Response noRoom = ann.request("test.room.say", Json.MAPPER.readTree("{}")).get(10, TimeUnit.SECONDS);
        assertThat(noRoom.errorCode()).isEqualTo(RoomErrors.ROOM_NOT_FOUND.code());
        join(ann, "ann");
        Response noHandler = ann.request("test.room.say", Json.MAPPER.readTree("{}")).get(10, TimeUnit.SECONDS);
        assertThat(noHandler.errorCode()).isEqualTo(RoomErrors.NO_ROOM_HANDLER.code());
    }

    private static Response join(SwitchboardClient client, String uid) throws Exception {
        Response response = client.request("test.room.join", Json.MAPPER.readTree(
                "{\"room\":\"lobby\",\"uid\":\"" + uid + "\"}")).get(10, TimeUnit.SECONDS);
        assertThat(response.isError()).as("%s", response).isFalse();
        return response;
    }
}
