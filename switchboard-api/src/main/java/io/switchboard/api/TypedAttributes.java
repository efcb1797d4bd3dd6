package io.switchboard.api;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Typed attributes: of a {@link Session}, of one message ({@link HandlerContext#attributes()}), of a room and of a
 * room's member. Thread-safe. The map behind them is made on first write, because most sessions never need one and
 * idle connections are counted in the hundred thousands.
 */
public final class TypedAttributes {
    private static final int INITIAL_CAPACITY = 4;

    private volatile Map<TypedKey<?>, Object> values;

    /** The value of {@code key}, or {@code null}. */
    public <T> T get(TypedKey<T> key) {
        Map<TypedKey<?>, Object> map = values;
        return map == null ? null : key.cast(map.get(key));
    }

    /** Sets {@code key} to {@code value}; {@code null} removes it. Returns the previous value. */
    public <T> T set(TypedKey<T> key, T value) {
        if (value == null) {
            return remove(key);
        }
        return key.cast(map().put(key, key.cast(value)));
    }

    /** Sets {@code key} only when it has no value; returns the value it had ({@code null} when this call set it). */
    public <T> T putIfAbsent(TypedKey<T> key, T value) {
        return key.cast(map().putIfAbsent(key, key.cast(Objects.requireNonNull(value, "value"))));
    }

    /** The value of {@code key}, made by {@code factory} (once, atomically) when it has none. */
    public <T> T computeIfAbsent(TypedKey<T> key, Supplier<? extends T> factory) {
        return key.cast(map().computeIfAbsent(key, k -> Objects.requireNonNull(factory.get(), "factory value")));
    }

    /** Removes {@code key}; returns its value, or {@code null}. */
    public <T> T remove(TypedKey<T> key) {
        Map<TypedKey<?>, Object> map = values;
        return map == null ? null : key.cast(map.remove(key));
    }

    /** Whether no key has a value. */
    public boolean isEmpty() {
        Map<TypedKey<?>, Object> map = values;
        return map == null || map.isEmpty();
    }

    private Map<TypedKey<?>, Object> map() {
        Map<TypedKey<?>, Object> map = values;
        if (map == null) {
            synchronized (this) {
                map = values;
                if (map == null) {
                    map = new ConcurrentHashMap<>(INITIAL_CAPACITY);
                    values = map;
                }
            }
        }
        return map;
    }
}
