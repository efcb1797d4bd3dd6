package io.switchboard.client.internal;

import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.RouteDictionary;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerHandshakeTest {

    private static ServerHandshake parse(String json) {
        return ServerHandshake.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatASwitchboardServerSends() {
        RouteDictionary dictionary = RouteDictionary.of(Map.of("sys.bind", 1), Set.of("a.b", "c.d"));
        ServerHandshake answer = ServerHandshake.parse(
                HandshakeResponse.accepted(25, dictionary, true, "json", false, null));

        assertThat(answer.accepted()).isTrue();
        assertThat(answer.heartbeatSeconds()).isEqualTo(25);
        assertThat(answer.routeToCode()).isEqualTo(dictionary.routeToCode());
        assertThat(answer.dictVersion()).isEqualTo(dictionary.version());
        assertThat(answer.serializer()).isEqualTo("json");
        assertThat(answer.hasDictionary()).isTrue();
    }

    @Test
    void takesTheDictionaryFromAnyOfItsThreeNames() {
        assertThat(parse("{\"code\":200,\"sys\":{\"dict\":{\"a.b\":3}}}").routeToCode()).containsExactly(
                Map.entry("a.b", 3));
        assertThat(parse("{\"code\":200,\"sys\":{\"routeToCode\":{\"a.b\":4}}}").routeToCode()).containsExactly(
                Map.entry("a.b", 4));
        assertThat(parse("{\"code\":200,\"sys\":{\"codeToRoute\":{\"5\":\"a.b\"}}}").routeToCode()).containsExactly(
                Map.entry("a.b", 5));
    }

    @Test
    void aBareAnswerMeansNoHeartbeatNoDictionaryAndJson() {
        ServerHandshake answer = parse("{\"code\":200}");

        assertThat(answer.heartbeatSeconds()).isZero();
        assertThat(answer.routeToCode()).isEmpty();
        assertThat(answer.hasDictionary()).isFalse();
        assertThat(answer.serializer()).isEqualTo("json");
    }

    @Test
    void refusalsKeepTheirCode() {
        assertThat(ServerHandshake.parse(HandshakeResponse.refused(501)).code()).isEqualTo(501);
        assertThat(ServerHandshake.parse(HandshakeResponse.refused(501)).accepted()).isFalse();
    }

    @Test
    void refusesWhatIsNoHandshakeAnswer() {
        assertThatThrownBy(() -> parse("hello")).isInstanceOf(PomeloProtocolException.class);
        assertThatThrownBy(() -> parse("[200]")).isInstanceOf(PomeloProtocolException.class);
        assertThatThrownBy(() -> parse("{\"sys\":{}}")).isInstanceOf(PomeloProtocolException.class);
        assertThatThrownBy(() -> parse("{\"code\":200,\"sys\":{\"dict\":{\"a\":0}}}"))
                .isInstanceOf(PomeloProtocolException.class);
        assertThatThrownBy(() -> parse("{\"code\":200,\"sys\":{\"dict\":{\"a\":70000}}}"))
                .isInstanceOf(PomeloProtocolException.class);
        assertThatThrownBy(() -> parse("{\"code\":200,\"sys\":{\"heartbeat\":-1}}"))
                .isInstanceOf(PomeloProtocolException.class);
    }
}
