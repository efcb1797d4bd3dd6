package io.switchboard.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.Events;
import io.switchboard.chat.ChatHarness.Client;
import io.switchboard.gate.GateConfig;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat's events and the gate's session events, on H2 with a recording {@link Events}: what is published, under
 * which routing key, with which body (the broker side is tested in switchboard-events-amqp).
 */
class ChatEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One published event, its body parsed. */
    record Published(String key, JsonNode body) {
    }

    /** Keeps what is published, as the JSON a broker would get. */
    static final class RecordingEvents implements Events {
        final List<Published> published = new CopyOnWriteArrayList<>();

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void publish(String routingKey, byte[] body) {
            try {
                published.add(new Published(routingKey, Json.MAPPER.readTree(body)));
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + routingKey, e);
            }
        }

        @Override
        public void publishJson(String routingKey, Object body) {
            try {
                publish(routingKey, Json.MAPPER.writeValueAsBytes(body));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError(e);
            }
        }

        List<JsonNode> bodies(String key) {
            return published.stream().filter(p -> p.key().equals(key)).map(Published::body).toList();
        }
    }

    private final RecordingEvents events = new RecordingEvents();
    private ChatHarness chat;

    private void start() throws Exception {
        ChatConfig config = ChatConfig.builder().jdbcUrl(ChatConfig.h2MemoryUrl("events-" + UUID.randomUUID()))
                .passwordIterations(1_000).events(events).build();
        chat = new ChatHarness(ChatApp.open(config), GateConfig.builder().events(events));
    }

    @AfterEach
    void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    @Test
    void storedMessagesAndMembershipChangesArePublishedWithIdsButNoText() throws Exception {
        start();
        chat.register("ann");
        chat.register("bob");
        chat.register("cat");
        Client ann = chat.connect();
        Client bob = chat.connect();
        Client cat = chat.connect();
        String annId = login(ann, "ann");
        String bobId = login(bob, "bob");
        String catId = login(cat, "cat");

        JsonNode sent = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "secret words", "clientId", "c-1");
        ann.ok(ChatRoutes.SEND, "to", "bob", "text", "secret words", "clientId", "c-1"); // a resend: stored once
        List<JsonNode> stored = events.bodies("chat.message.stored");
        assertThat(stored).hasSize(1);
        JsonNode message = stored.get(0);
        assertThat(message.get("id").asText()).isEqualTo(sent.get("id").asText());
        assertThat(message.get("conversation").asText()).isEqualTo(sent.get("conversation").asText());
        assertThat(message.get("seq").asLong()).isEqualTo(sent.get("seq").asLong());
        assertThat(message.get("sender").asText()).isEqualTo(annId);
        assertThat(message.get("clientId").asText()).isEqualTo("c-1");
        assertThat(message.toString()).doesNotContain("secret words");

        String group = ann.ok(ChatRoutes.GROUP_CREATE, "name", "lobby", "members", List.of("bob"))
                .get("conversation").asText();
        cat.ok(ChatRoutes.GROUP_JOIN, "conversation", group);
        bob.ok(ChatRoutes.GROUP_LEAVE, "conversation", group);
        bob.ok(ChatRoutes.GROUP_JOIN, "conversation", group);
        cat.ok(ChatRoutes.GROUP_LEAVE, "conversation", group);
        ann.ok(ChatRoutes.GROUP_INVITE, "conversation", group, "user", "cat");

        assertThat(events.bodies("chat.group.joined")).extracting(b -> b.get("user").asText() + " "
                + b.get("via").asText() + " " + b.path("by").asText("-"))
                .containsExactly(annId + " create -", bobId + " create " + annId, catId + " join -",
                        bobId + " join -", catId + " invite " + annId);
        assertThat(events.bodies("chat.group.left")).extracting(b -> b.get("user").asText())
                .containsExactly(bobId, catId);
        assertThat(events.bodies("chat.group.joined")).allMatch(b -> b.get("conversation").asText().equals(group));
    }

    @Test
    void theGatePublishesLoginAndLogoutOfItsSessions() throws Exception {
        start();
        chat.register("ann");
        events.published.clear();
        Client ann = chat.connect();
        String annId = login(ann, "ann");
        assertThat(events.bodies("session.login")).singleElement()
                .satisfies(b -> assertThat(b.get("user").asText()).isEqualTo(annId))
                .satisfies(b -> assertThat(b.get("session").asText()).isNotEmpty());
        String session = events.bodies("session.login").get(0).get("session").asText();

        ann.close();
        await().atMost(WAIT).until(() -> !events.bodies("session.logout").isEmpty());
        JsonNode logout = events.bodies("session.logout").get(0);
        assertThat(logout.get("user").asText()).isEqualTo(annId);
        assertThat(logout.get("session").asText()).isEqualTo(session);
        assertThat(logout.get("reason").asText()).isNotEmpty();
        assertThat(events.published.toString()).doesNotContain("ann-secret");
    }

    @Test
    void withEventsOffNothingIsPublished() throws Exception {
        chat = new ChatHarness(ChatConfig.builder().jdbcUrl(ChatConfig.h2MemoryUrl("off-" + UUID.randomUUID()))
                .passwordIterations(1_000).build());
        chat.register("ann");
        Client ann = chat.login("ann");
        chat.register("bob");
        ann.ok(ChatRoutes.SEND, "to", "bob", "text", "hi");
        assertThat(events.published).isEmpty();
    }

    /** Logs {@code client} in as {@code name} (registered by the harness) and returns the user id. */
    private static String login(Client client, String name) throws Exception {
        return client.ok(ChatRoutes.LOGIN, "name", name, "password", name + "-secret").get("userId").asText();
    }
}
