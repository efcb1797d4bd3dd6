package io.switchboard.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TypedAttributesTest {
    private static final TypedKey<String> NAME = TypedKey.of("name", String.class);
    private static final TypedKey<Integer> SCORE = TypedKey.of("score", Integer.class);

    @Test
    void typedValuesBySetGetAndRemove() {
        TypedAttributes attributes = new TypedAttributes();
        assertThat(attributes.isEmpty()).isTrue();
        assertThat(attributes.get(NAME)).isNull();
        assertThat(attributes.set(NAME, "ann")).isNull();
        assertThat(attributes.set(NAME, "bob")).isEqualTo("ann");
        attributes.set(SCORE, 7);
        assertThat(attributes.get(NAME)).isEqualTo("bob");
        assertThat(attributes.get(SCORE)).isEqualTo(7);
        assertThat(attributes.remove(NAME)).isEqualTo("bob");
        assertThat(attributes.set(SCORE, null)).isEqualTo(7);
        assertThat(attributes.isEmpty()).isTrue();
    }

    @Test
    void keysWithTheSameNameAreDifferentKeys() {
        TypedKey<String> other = TypedKey.of("name", String.class);
        TypedAttributes attributes = new TypedAttributes();
        attributes.set(NAME, "mine");
        assertThat(attributes.get(other)).isNull();
        assertThat(attributes.putIfAbsent(other, "theirs")).isNull();
        assertThat(attributes.get(NAME)).isEqualTo("mine");
    }

    @Test
    void putIfAbsentAndComputeIfAbsentSetOnce() {
        TypedAttributes attributes = new TypedAttributes();
        assertThat(attributes.putIfAbsent(NAME, "first")).isNull();
        assertThat(attributes.putIfAbsent(NAME, "second")).isEqualTo("first");
        AtomicInteger made = new AtomicInteger();
        assertThat(attributes.computeIfAbsent(SCORE, made::incrementAndGet)).isEqualTo(1);
        assertThat(attributes.computeIfAbsent(SCORE, made::incrementAndGet)).isEqualTo(1);
        assertThat(made.get()).isEqualTo(1);
    }
}
