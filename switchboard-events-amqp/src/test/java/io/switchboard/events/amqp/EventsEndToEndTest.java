package io.switchboard.events.amqp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.api.Handlers;
import io.switchboard.chat.ChatApp;
import io.switchboard.chat.ChatConfig;
import io.switchboard.chat.ChatRoutes;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.server.StandaloneServer;
import io.switchboard.testing.RabbitMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat on a real standalone server (H2, a real gate) publishing through {@link AmqpEvents} to a real broker: a
 * consumer bound to {@code #} sees session login and logout, stored messages and membership changes.
 */
class EventsEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RabbitMqServer broker;
    private AmqpEvents events;
    private ChatApp chat;
    private StandaloneServer server;
    private BoundQueue consumer;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RabbitMqServer.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.close();
        }
        if (chat != null) {
            chat.close();
        }
        if (consumer != null) {
            consumer.close();
        }
    }

    private SwitchboardClient connect() throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("ws://127.0.0.1:" + server.port())).build();
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static JsonNode ok(SwitchboardClient client, String route, Map<String, Object> body) throws Exception {
        Response response = client.request(route, JSON.valueToTree(body)).get(10, TimeUnit.SECONDS);
        assertThat(response.isError()).as("%s -> %s", route, response).isFalse();
        return response.json();
    }

    private List<JsonNode> bodies(String key) {
        return consumer.received.stream().filter(r -> r.routingKey().equals(key)).map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void chatAndSessionEventsReachAConsumer() throws Exception {
        events = AmqpEvents.create(AmqpEventsConfig.builder(broker.uri()).build());
        consumer = BoundQueue.consume(broker.connectionFactory(), AmqpEventsConfig.DEFAULT_EXCHANGE, "#");
        chat = ChatApp.open(ChatConfig.builder().jdbcUrl(ChatConfig.h2MemoryUrl("e2e-" + UUID.randomUUID()))
                .passwordIterations(1_000).events(events).build());
        server = chat.install(StandaloneServer.builder(), new Handlers())
                .part(new AmqpEventsPart(events))
                .gate(GateConfig.builder().host("127.0.0.1").port(0).events(events))
                .adminPort(-1)
                .build().start();

        SwitchboardClient ann = connect();
        SwitchboardClient bob = connect();
        ok(ann, ChatRoutes.REGISTER, Map.of("name", "ann", "password", "ann-secret"));
        ok(bob, ChatRoutes.REGISTER, Map.of("name", "bob", "password", "bob-secret"));
        String annId = ok(ann, ChatRoutes.LOGIN, Map.of("name", "ann", "password", "ann-secret"))
                .get("userId").asText();
        String bobId = ok(bob, ChatRoutes.LOGIN, Map.of("name", "bob", "password", "bob-secret"))
                .get("userId").asText();
        JsonNode sent = ok(ann, ChatRoutes.SEND, Map.of("to", "bob", "text", "hello bob"));
        String group = ok(ann, ChatRoutes.GROUP_CREATE, Map.of("name", "lobby", "members", List.of("bob")))
                .get("conversation").asText();
        ok(bob, ChatRoutes.GROUP_LEAVE, Map.of("conversation", group));
        ann.close().get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> !bodies("session.logout").isEmpty());
        assertThat(bodies("session.login")).extracting(b -> b.get("user").asText())
                .containsExactlyInAnyOrder(annId, bobId);
        assertThat(bodies("session.logout")).singleElement()
                .satisfies(b -> assertThat(b.get("user").asText()).isEqualTo(annId));
        assertThat(bodies("chat.message.stored")).singleElement().satisfies(b -> {
            assertThat(b.get("id").asText()).isEqualTo(sent.get("id").asText());
            assertThat(b.get("sender").asText()).isEqualTo(annId);
            assertThat(b.toString()).doesNotContain("hello bob");
        });
        assertThat(bodies("chat.group.joined")).extracting(b -> b.get("user").asText())
                .containsExactlyInAnyOrder(annId, bobId);
        assertThat(bodies("chat.group.left")).singleElement()
                .satisfies(b -> assertThat(b.get("user").asText()).isEqualTo(bobId));
        assertThat(consumer.received).noneMatch(r -> r.body().contains("secret"));
        assertThat(events.dropped()).isZero();
        bob.close().get(10, TimeUnit.SECONDS);
    }
}
