package io.switchboard.serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;

/** Turns body bytes into objects of a requested type and objects into body bytes. Thread-safe. */
public interface Serializer {

    /** The name announced in the handshake: {@code json} or {@code protobuf}. */
    String name();

    /** Serializes a body. {@code byte[]} passes through unchanged; {@code null} is an empty body. */
    byte[] encode(Object value) throws IOException;

    /**
     * {@link #encode} for a body bound for {@code route}, where a failure is the caller's bug, not the peer's: thrown
     * as {@link UncheckedIOException} naming the route.
     */
    default byte[] encodeBody(String route, Object value) {
        try {
            return encode(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the body of " + route, e);
        }
    }

    /** Reads a body as {@code type}. {@code byte[]} gets the raw bytes. Bad bytes throw {@link IOException}. */
    Object decode(byte[] body, Type type) throws IOException;

    static Serializer named(String name) {
        return switch (name) {
            case JsonSerializer.NAME -> JsonSerializer.INSTANCE;
            case ProtobufSerializer.NAME -> ProtobufSerializer.INSTANCE;
            default -> throw new IllegalArgumentException("unknown serializer '" + name + "' (json or protobuf)");
        };
    }
}
