package io.switchboard.api;

import java.util.Objects;

/**
 * A typed key of {@link SessionAttributes}. Keys compare by identity: two keys with the same name are different
 * keys, so a library's private key can never be read or overwritten by code that does not hold it.
 *
 * <pre>{@code
 * static final SessionKey<String> NAME = SessionKey.of("demo.name", String.class);
 * session.attributes().set(NAME, "ann");
 * }</pre>
 */
public final class SessionKey<T> {
    private final String name;
    private final Class<T> type;

    private SessionKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <T> SessionKey<T> of(String name, Class<T> type) {
        return new SessionKey<>(name, type);
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
        return "SessionKey(" + name + ")";
    }
}
