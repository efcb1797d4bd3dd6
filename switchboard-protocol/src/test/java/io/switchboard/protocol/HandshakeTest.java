package io.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandshakeTest {

    @Test
    void pomeloHandshakeIsRead() {
        HandshakeRequest req = HandshakeRequest.parse(
                "{\"sys\":{\"type\":\"js-websocket\",\"version\":\"0.0.1\",\"rsa\":{}},\"user\":{\"token\":\"t\"}}");
        assertThat(req.clientType()).isEqualTo("js-websocket");
        assertThat(req.clientVersion()).isEqualTo("0.0.1");
        assertThat(req.user().get("token").asText()).isEqualTo("t");
        assertThat(req.wantsCompression()).isFalse();
    }

    @Test
    void pitayaHandshakeIsRead() {
        HandshakeRequest req = HandshakeRequest.parse("{\"sys\":{\"platform\":\"mac\",\"libVersion\":\"0.3.5-release\","
                + "\"clientBuildNumber\":\"20\",\"clientVersion\":\"2.1\"},\"user\":{\"age\":30}}");
        assertThat(req.clientType()).isEqualTo("mac");
        assertThat(req.clientVersion()).isEqualTo("0.3.5-release");
    }

    @Test
    void whatIsKeptIsSysAndUserAlone() {
        HandshakeRequest req = HandshakeRequest.parse(
                "{ \"sys\" : {\"type\":\"t\"},\n \"user\":{\"n\":1}, \"junk\":[1,2,3]}");
        assertThat(new String(req.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"sys\":{\"type\":\"t\"},\"user\":{\"n\":1}}");
        assertThat(HandshakeRequest.parse(req.toJson())).isEqualTo(req);
    }

    @Test
    void badHandshakesAreRefused() {
        assertThatThrownBy(() -> HandshakeRequest.parse("{not json")).isInstanceOf(PomeloProtocolException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> HandshakeRequest.parse("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> HandshakeRequest.parse("{\"user\":{}}")).hasMessageContaining("no sys object");
        assertThatThrownBy(() -> HandshakeRequest.parse("")).isInstanceOf(PomeloProtocolException.class);
    }

    @Test
    void responseHasPomelosFields() throws Exception {
        RouteDictionary dict = RouteDictionary.of(Map.of(), List.of("demo.echo.say", "onTell"));
        JsonNode json = Json.MAPPER.readTree(HandshakeResponse.accepted(30, dict, true, "json", false, null));
        assertThat(json.get("code").asInt()).isEqualTo(200);
        JsonNode sys = json.get("sys");
        assertThat(sys.get("heartbeat").asInt()).isEqualTo(30);
        assertThat(sys.get("dict").get("demo.echo.say").asInt()).isEqualTo(50);
        assertThat(sys.get("dict").get("onTell").asInt()).isEqualTo(51);
        assertThat(sys.get("routeToCode")).isEqualTo(sys.get("dict"));
        assertThat(sys.get("codeToRoute").get("50").asText()).isEqualTo("demo.echo.say");
        assertThat(sys.get("dictVersion").asText()).isEqualTo(dict.version());
        assertThat(sys.get("useDict").asBoolean()).isTrue();
        assertThat(sys.get("serializer").asText()).isEqualTo("json");
        assertThat(json.has("user")).isFalse();

        JsonNode again = Json.MAPPER.readTree(HandshakeResponse.accepted(30, dict, false, "json", false, null));
        assertThat(again.get("sys").has("dict")).isFalse();
        assertThat(again.get("sys").get("dictVersion").asText()).isEqualTo(dict.version());
    }

    @Test
    void refusalIsTheCodeAlone() {
        assertThat(new String(HandshakeResponse.refused(501))).isEqualTo("{\"code\":501}");
    }

    @Test
    void dictionaryReservesFrameworkCodes() {
        assertThatThrownBy(() -> RouteDictionary.of(Map.of("x", 50), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        RouteDictionary a = RouteDictionary.of(Map.of(), List.of("b.b.b", "a.a.a"));
        RouteDictionary b = RouteDictionary.of(Map.of(), List.of("a.a.a", "b.b.b"));
        assertThat(a.codeOf("a.a.a")).isEqualTo(50);
        assertThat(a.version()).isEqualTo(b.version());
        assertThat(a.routeOf(51)).isEqualTo("b.b.b");
        assertThat(a.routeOf(999)).isNull();
        assertThat(a.codeOf("nope")).isZero();
    }
}
