package io.switchboard.serialization;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Standard protobuf bodies, as Pitaya's protobuf serializer sends them: a handler declares a generated
 * message class as its body type and returns a message.
 */
public final class ProtobufSerializer implements Serializer {
    public static final String NAME = "protobuf";
    public static final ProtobufSerializer INSTANCE = new ProtobufSerializer();
    private static final byte[] EMPTY = new byte[0];

    private final ConcurrentHashMap<Class<?>, Parser<?>> parsers = new ConcurrentHashMap<>();

    private ProtobufSerializer() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(Object value) throws IOException {
        if (value == null) {
            return EMPTY;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof Message message) {
            return message.toByteArray();
        }
        throw new IOException("the protobuf serializer writes protobuf messages, not " + value.getClass().getName());
    }

    @Override
    public Object decode(byte[] body, Type type) throws IOException {
        if (type == byte[].class) {
            return body;
        }
        if (!(type instanceof Class<?> cls) || !Message.class.isAssignableFrom(cls)) {
            throw new IOException("the protobuf serializer reads protobuf messages, not " + type.getTypeName());
        }
        try {
            return parser(cls).parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("bad protobuf body: " + e.getMessage(), e);
        }
    }

    private Parser<?> parser(Class<?> cls) {
        return parsers.computeIfAbsent(cls, c -> {
            try {
                Method method = c.getMethod("parser");
                return (Parser<?>) method.invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("not a generated protobuf message: " + c.getName(), e);
            }
        });
    }
}
