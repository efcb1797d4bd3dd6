package io.switchboard.api;

import java.util.Objects;

/**
 * A typed key of {@link TypedAttributes}. Keys compare by identity: two keys with the same name are different
 * keys, so a library's private key can never be read or overwritten by code that does not hold it.
 *
 * <pre>{@code
 * static final TypedKey<String> NAME = TypedKey.of("demo.name", String.class);
 * session.attributes().set(NAME, "ann");
 * }</pre>
 */
public final class TypedKey<T> {
    private final String name;
    private final Class<T> type;

    private TypedKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <T> TypedKey<T> of(String name, Class<T> type) {
        return new TypedKey<>(name, type);
    }

    /** For logs and debugging only; not part of the key's identity. */
    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "TypedKey(" + name + ")";
    }
}
