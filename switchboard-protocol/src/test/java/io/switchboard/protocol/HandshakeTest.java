package io.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    /**
     * The answer is written as a head shared by every client and a tail of its own; together they must be the very
     * bytes a JSON tree of the answer writes (what the gate sent before), for every mix of optional fields.
     */
    @Test
    void headAndTailAreTheBytesOfTheWholeAnswer() throws Exception {
        RouteDictionary dict = RouteDictionary.of(Map.of("onKick", 3), List.of("demo.echo.say", "chat.\u00e9t\u00e9", "onTell"));
        ObjectNode user = Json.MAPPER.createObjectNode().put("name", "Zo\u00eb \"the\" <b>\u2603</b>\n").put("n", 7);
        ObjectNode session = HandshakeResponse.session(42, "tok\"en", true);
        int cases = 0;
        for (RouteDictionary d : List.of(dict, RouteDictionary.empty())) {
            for (boolean sendDict : new boolean[] {true, false}) {
                for (boolean compress : new boolean[] {true, false}) {
                    for (JsonNode u : Arrays.asList(null, NullNode.getInstance(), user, IntNode.valueOf(5))) {
                        for (JsonNode s : Arrays.asList(null, session)) {
                            byte[] expected = asTree(30, d, sendDict, "json", compress, u, s);
                            assertThat(new String(HandshakeResponse.accepted(30, d, sendDict, "json", compress, u, s),
                                    StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
                            Json.MAPPER.readTree(expected); // and it is whole JSON
                            cases++;
                        }
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(64);
    }

    /** The answer as one JSON tree, field by field as Pomelo's connector sets them. */
    private static byte[] asTree(int heartbeat, RouteDictionary dictionary, boolean sendDictionary, String serializer,
                                 boolean compress, JsonNode user, JsonNode session) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("code", 200);
        ObjectNode sys = root.putObject("sys");
        sys.put("heartbeat", heartbeat);
        if (sendDictionary) {
            ObjectNode routeToCode = Json.MAPPER.valueToTree(dictionary.routeToCode());
            sys.set("dict", routeToCode);
            sys.set("routeToCode", routeToCode.deepCopy());
            sys.set("codeToRoute", Json.MAPPER.valueToTree(dictionary.codeToRoute()));
        }
        sys.put("dictVersion", dictionary.version());
        sys.put("useDict", true);
        sys.put("serializer", serializer);
        if (compress) {
            sys.put("compress", "zlib");
        }
        if (session != null) {
            sys.set("session", session);
        }
        if (user != null && !user.isNull()) {
            root.set("user", user);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
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
