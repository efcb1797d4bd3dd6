package io.switchboard.cluster.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload of a push to a user ({@link SystemRoutes#USER_PUSH}): the push route and its body in one byte array.
 *
 * <pre>
 * offset 0              route length, unsigned 16 bits, big-endian
 * offset 2              route, UTF-8
 * offset 2 + length     body
 * </pre>
 */
public final class PushPayload {
    static final int ROUTE_LENGTH_OFFSET = 0;
    static final int ROUTE_LENGTH_SIZE = 2;
    static final int ROUTE_OFFSET = ROUTE_LENGTH_OFFSET + ROUTE_LENGTH_SIZE;
    static final int MAX_ROUTE_LENGTH = 0xffff;
    private static final int BYTE_MASK = 0xff;
    private static final int BITS_PER_BYTE = 8;

    private PushPayload() {
    }

    public static byte[] encode(String route, byte[] body) {
        byte[] name = route.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_ROUTE_LENGTH) {
            throw new IllegalArgumentException("route too long");
        }
        byte[] payload = new byte[ROUTE_OFFSET + name.length + body.length];
        payload[ROUTE_LENGTH_OFFSET] = (byte) (name.length >>> BITS_PER_BYTE);
        payload[ROUTE_LENGTH_OFFSET + 1] = (byte) name.length;
        System.arraycopy(name, 0, payload, ROUTE_OFFSET, name.length);
        System.arraycopy(body, 0, payload, ROUTE_OFFSET + name.length, body.length);
        return payload;
    }

    public static String route(byte[] payload) {
        return new String(payload, ROUTE_OFFSET, routeLength(payload), StandardCharsets.UTF_8);
    }

    public static byte[] body(byte[] payload) {
        return Arrays.copyOfRange(payload, ROUTE_OFFSET + routeLength(payload), payload.length);
    }

    private static int routeLength(byte[] payload) {
        if (payload.length < ROUTE_OFFSET) {
            throw new IllegalArgumentException("push payload shorter than its header");
        }
        int length = ((payload[ROUTE_LENGTH_OFFSET] & BYTE_MASK) << BITS_PER_BYTE)
                | (payload[ROUTE_LENGTH_OFFSET + 1] & BYTE_MASK);
        if (ROUTE_OFFSET + length > payload.length) {
            throw new IllegalArgumentException("push payload route runs past its end");
        }
        return length;
    }
}
