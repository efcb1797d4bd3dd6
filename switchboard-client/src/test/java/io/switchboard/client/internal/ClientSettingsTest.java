package io.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.common.time.Ticker;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSettingsTest {

    private static ClientSettings settings(JsonNode user, ObjectNode sys, ClientSettings.KnownRoutes known) {
        return new ClientSettings(user, sys, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(10),
                Ticker.system(), known);
    }

    @Test
    void handshakeNamesTheClientAndCarriesUserAndExtras() throws Exception {
        ObjectNode sys = Json.MAPPER.createObjectNode().put("compress", true).put("version", "9.9.9");
        ObjectNode user = Json.MAPPER.createObjectNode().put("token", "t");

        JsonNode body = Json.MAPPER.readTree(settings(user, sys, null).handshakeBody());

        assertThat(body.path("sys").path("type").asText()).isEqualTo("java");
        assertThat(body.path("sys").path("version").asText()).isEqualTo("9.9.9");
        assertThat(body.path("sys").path("compress").asBoolean()).isTrue();
        assertThat(body.path("user").path("token").asText()).isEqualTo("t");
        // The protocol module's own parser, which the gate uses, reads it as meant.
        HandshakeRequest parsed = HandshakeRequest.parse(settings(user, sys, null).handshakeBody());
        assertThat(parsed.clientType()).isEqualTo("java");
        assertThat(parsed.wantsCompression()).isTrue();
    }

    @Test
    void withoutUserTheHandshakeSendsAnEmptyObjectAndTheDefaultVersion() throws Exception {
        JsonNode body = Json.MAPPER.readTree(settings(null, null, null).handshakeBody());

        assertThat(body.path("user").isObject()).isTrue();
        assertThat(body.path("user").size()).isZero();
        assertThat(body.path("sys").path("version").asText()).isEqualTo(ClientSettings.CLIENT_VERSION);
        assertThat(body.path("sys").has("dictVersion")).isFalse();
    }

    @Test
    void aKnownDictionaryIsAnnouncedByItsVersion() {
        ClientSettings settings = settings(null, null, new ClientSettings.KnownRoutes("v1", Map.of("a.b", 50)));

        assertThat(HandshakeRequest.parse(settings.handshakeBody()).dictVersion()).isEqualTo("v1");
    }
}
