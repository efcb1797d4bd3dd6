package io.switchboard.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The route codes one server announced in its handshake ({@code sys.dict}), in whatever numbering that
 * server uses: a Pomelo or Pitaya server numbers from 1, Switchboard from 50. Routes it knows are handed
 * back as the same {@code String} instances, so reading a push allocates nothing.
 */
final class ServerRoutes {
    static final ServerRoutes NONE = new ServerRoutes(Map.of());

    private final Map<String, Integer> codes;
    private final String[] byCode;
    private final byte[][] knownBytes;
    private final String[] known;

    private ServerRoutes(Map<String, Integer> codes) {
        this.codes = codes;
        int max = codes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        byCode = new String[max + 1];
        codes.forEach((route, code) -> byCode[code] = route);
        List<String> names = new ArrayList<>(DemoRoutes.ALL);
        codes.keySet().stream().filter(r -> !names.contains(r)).forEach(names::add);
        known = names.toArray(new String[0]);
        knownBytes = new byte[known.length][];
        for (int i = 0; i < known.length; i++) {
            knownBytes[i] = known[i].getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Reads {@code sys.dict} from a handshake answer; a server without one sends route strings. */
    static ServerRoutes fromHandshake(JsonNode sys) {
        JsonNode dict = sys.path("dict");
        if (!dict.isObject() || dict.isEmpty()) {
            return NONE;
        }
        Map<String, Integer> codes = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = dict.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int code = e.getValue().asInt(0);
            if (code > 0 && code <= 0xFFFF) {
                codes.put(DemoRoutes.ALL.contains(e.getKey()) ? canonical(e.getKey()) : e.getKey(), code);
            }
        }
        return new ServerRoutes(codes);
    }

    private static String canonical(String route) {
        return DemoRoutes.ALL.get(DemoRoutes.ALL.indexOf(route));
    }

    /** The code of a route, or 0 to send the route as a string. */
    int codeOf(String route) {
        Integer code = codes.get(route);
        return code == null ? 0 : code;
    }

    String routeOf(int code) {
        return code < byCode.length ? byCode[code] : null;
    }

    /** Reads a route string of {@code length} bytes, handing back a known instance when it is one. */
    String readRoute(ByteBuf in, int length) {
        int at = in.readerIndex();
        for (int i = 0; i < known.length; i++) {
            if (knownBytes[i].length == length && matches(in, at, knownBytes[i])) {
                in.skipBytes(length);
                return known[i];
            }
        }
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    private static boolean matches(ByteBuf in, int at, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (in.getByte(at + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
