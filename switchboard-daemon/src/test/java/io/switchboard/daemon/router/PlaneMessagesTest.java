package io.switchboard.daemon.router;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.daemon.command.CommandResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a peer sends is read strictly: a malformed body is a protocol error, never a guess. */
class PlaneMessagesTest {

    private static Envelope withBody(String json) {
        return Envelopes.builder(Kind.NOTIFY).route(PlaneMessages.HELLO)
                .payload(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build();
    }

    @Test
    void aResultSurvivesTheTrip() throws Exception {
        CommandResult sent = new CommandResult(CommandResult.Outcome.FAILED, "no such process",
                JsonNodeFactory.instance.objectNode().put("name", "web"));

        CommandResult read = PlaneMessages.result(PlaneMessages.result(7, sent));

        assertThat(read).isEqualTo(sent);
    }

    @Test
    void theHandshakeCarriesItsBytesAsBase64() throws Exception {
        byte[] nonce = new byte[32];
        nonce[0] = 9;
        Envelope hello = PlaneMessages.hello("127.0.0.2", nonce, null);

        assertThat(PlaneMessages.text(PlaneMessages.body(hello), "ip", 64)).isEqualTo("127.0.0.2");
        assertThat(PlaneMessages.bytes(PlaneMessages.body(hello), "nonce", 32)).hasValue(nonce);
        assertThat(PlaneMessages.bytes(PlaneMessages.body(hello), "proof", 32)).isEmpty();
    }

    @Test
    void malformedBodiesAreProtocolErrors() {
        assertThatThrownBy(() -> PlaneMessages.body(withBody("{\"ip\":"))).isInstanceOf(PlaneProtocolException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> PlaneMessages.body(withBody("[1,2]"))).isInstanceOf(PlaneProtocolException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> PlaneMessages.text(PlaneMessages.body(withBody("{\"ip\":7}")), "ip", 64))
                .isInstanceOf(PlaneProtocolException.class).hasMessageContaining("'ip'");
        assertThatThrownBy(() -> PlaneMessages.text(PlaneMessages.body(withBody("{\"ip\":\"" + "1".repeat(65)
                + "\"}")), "ip", 64)).isInstanceOf(PlaneProtocolException.class);
        assertThatThrownBy(() -> PlaneMessages.bytes(PlaneMessages.body(withBody("{\"nonce\":\"!!\"}")), "nonce", 32))
                .isInstanceOf(PlaneProtocolException.class).hasMessageContaining("32 bytes of base64");
        assertThatThrownBy(() -> PlaneMessages.bytes(PlaneMessages.body(withBody("{\"nonce\":\"AAAA\"}")), "nonce",
                32)).isInstanceOf(PlaneProtocolException.class);
        assertThatThrownBy(() -> PlaneMessages.result(withBody("{\"outcome\":\"MAYBE\"}")))
                .isInstanceOf(PlaneProtocolException.class).hasMessageContaining("not an outcome");
    }
}
