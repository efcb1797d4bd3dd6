package io.switchboard.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.chat.ChatHarness.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded H2 file database keeps everything across restarts; a lost database is a clear error. */
class StorageTest {

    @Test
    void anH2FileKeepsAccountsAndMessagesAcrossRestarts(@TempDir Path dir) throws Exception {
        ChatConfig config = ChatConfig.builder().jdbcUrl(ChatConfig.h2FileUrl(dir.resolve("chat")))
                .tokenSecret("a secret shared by both runs, 32+ bytes").passwordIterations(1_000).build();
        String conversation;
        String token;
        try (ChatHarness first = new ChatHarness(config)) {
            first.register("ann");
            first.register("bob");
            Client ann = first.login("ann");
            conversation = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "kept").get("conversation").asText();
            token = ann.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret").get("token").asText();
        }
        try (ChatHarness second = new ChatHarness(config)) {
            // The migrations ran once; the token signed before the restart still logs in.
            Client ann = second.connect("ws", ChatHarness.json("token", token));
            assertThat(ann.client.handshakeResponse().at("/user/code").asInt()).isEqualTo(200);
            JsonNode history = ann.ok(ChatRoutes.HISTORY, "conversation", conversation);
            assertThat(history.at("/messages/0/text").asText()).isEqualTo("kept");
            assertThat(ann.ok(ChatRoutes.SEND, "conversation", conversation, "text", "more").get("seq").asLong())
                    .isEqualTo(2);
        }
    }

    @Test
    void aLostDatabaseIsStorageUnavailableNotAStackTrace() throws Exception {
        try (ChatHarness chat = new ChatHarness(ChatConfig.builder()
                .jdbcUrl(ChatConfig.h2MemoryUrl("lost-" + UUID.randomUUID())).passwordIterations(1_000).build())) {
            chat.register("ann");
            Client ann = chat.login("ann");
            chat.chat.close();   // the pool is gone under the running server
            assertThat(ann.error(ChatRoutes.CONVERSATIONS)).isEqualTo(ChatErrors.STORAGE_UNAVAILABLE.code());
            assertThat(chat.connect().error(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret"))
                    .isEqualTo(ChatErrors.STORAGE_UNAVAILABLE.code());
        }
    }
}
