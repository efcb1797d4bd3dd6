package io.switchboard.chat.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void verifiesTheRightPasswordOnly() {
        String stored = hasher.hash("correct horse");
        assertThat(stored).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct horse");
        assertThat(hasher.verify("correct horse", stored)).isTrue();
        assertThat(hasher.verify("correct horsE", stored)).isFalse();
        assertThat(hasher.verify("", stored)).isFalse();
    }

    @Test
    void saltsEachHash() {
        assertThat(hasher.hash("same password")).isNotEqualTo(hasher.hash("same password"));
    }

    @Test
    void keepsTheIterationsOfOlderHashes() {
        String old = new PasswordHasher(500).hash("pw123456");
        assertThat(hasher.verify("pw123456", old)).isTrue();
    }

    @Test
    void hashesOfALowerCostNeedARehash() {
        assertThat(hasher.needsRehash(new PasswordHasher(500).hash("pw123456"))).isTrue();
        assertThat(hasher.needsRehash(hasher.hash("pw123456"))).isFalse();
        assertThat(hasher.needsRehash(new PasswordHasher(2_000).hash("pw123456"))).isFalse();
        assertThat(hasher.needsRehash("pbkdf2-sha256$x$y$z")).isTrue();
    }

    @Test
    void malformedStoredHashesMatchNothing() {
        for (String stored : new String[] {"", "plain", "pbkdf2-sha256$x$y$z", "md5$1$AA$AA",
                "pbkdf2-sha256$0$AAAA$AAAA", "pbkdf2-sha256$10$!!$AAAA"}) {
            assertThat(hasher.verify("pw", stored)).as(stored).isFalse();
        }
    }
}
