package io.switchboard.gate.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SharedHandshakesTest {
    private final SharedHandshakes shared = new SharedHandshakes();

    @Test
    void equalHandshakesAreKeptOnce() {
        byte[] first = bytes("{\"sys\":{\"type\":\"js-websocket\",\"version\":\"0.0.1\"},\"user\":{}}");
        byte[] second = bytes("{\"sys\":{\"type\":\"js-websocket\",\"version\":\"0.0.1\"},\"user\":{}}");
        assertThat(shared.share(first)).isSameAs(first);
        assertThat(shared.share(second)).isSameAs(first);
    }

    @Test
    void distinctHandshakesKeepTheirOwnBytesAndTheTableGoesOnSharing() {
        byte[] app = bytes("{\"sys\":{\"type\":\"app\"},\"user\":{}}");
        shared.share(app);
        // Many distinct handshakes (a peer making each one new): each is its own, the table stays its size.
        for (int i = 0; i < 10_000; i++) {
            byte[] other = bytes("{\"sys\":{\"type\":\"other" + i + "\"},\"user\":{}}");
            assertThat(shared.share(other)).isSameAs(other);
        }
        byte[] kept = shared.share(bytes("{\"sys\":{\"type\":\"app\"},\"user\":{}}"));
        assertThat(kept).isEqualTo(app);
        assertThat(shared.share(bytes("{\"sys\":{\"type\":\"app\"},\"user\":{}}"))).isSameAs(kept);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
