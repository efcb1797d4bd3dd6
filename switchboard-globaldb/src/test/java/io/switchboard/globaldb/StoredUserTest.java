package io.switchboard.globaldb;

import io.switchboard.globaldb.GlobalDbJson.StoredUser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A user entry as stored: what a hand-edited or foreign entry may hold and how it is refused. */
class StoredUserTest {
    private static final String SALT = "c2FsdHNhbHRzYWx0c2FsdA==";
    private static final String HASH = "pbkdf2-sha256$10000$c2VjcmV0LWxvb2tpbmctaGFzaA==";

    @Test
    void aWellFormedEntryReadsBack() {
        StoredUser user = StoredUser.of("a-long-password".toCharArray(), Role.VIEWER, PasswordHash.MIN_ITERATIONS);
        StoredUser read = StoredUser.fromJson("ann", user.toJson());
        assertThat(read).isEqualTo(user);
        assertThat(read.matches("a-long-password".toCharArray())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"role\":\"admin\"}",
        "{\"hash\":\"" + HASH + "\",\"role\":\"admin\"}",
        "{\"salt\":\"\",\"hash\":\"" + HASH + "\",\"role\":\"admin\"}",
        "{\"salt\":\"not base64!\",\"hash\":\"" + HASH + "\",\"role\":\"admin\"}",
        "{\"salt\":\"" + SALT + "\",\"role\":\"admin\"}",
        "{\"salt\":\"" + SALT + "\",\"hash\":\"pbkdf2-sha256$0$c2VjcmV0LWxvb2tpbmctaGFzaA==\",\"role\":\"admin\"}",
        "{\"salt\":\"" + SALT + "\",\"hash\":\"pbkdf2-sha256$-5$c2VjcmV0LWxvb2tpbmctaGFzaA==\",\"role\":\"admin\"}",
        "{\"salt\":\"" + SALT + "\",\"hash\":\"pbkdf2-sha256$9999$c2VjcmV0LWxvb2tpbmctaGFzaA==\",\"role\":\"admin\"}",
        // Would hold a login thread for hours.
        "{\"salt\":\"" + SALT + "\",\"hash\":\"pbkdf2-sha256$2000000000$c2VjcmV0LWxvb2tpbmctaGFzaA==\",\"role\":\"admin\"}",
        "{\"salt\":\"" + SALT + "\",\"hash\":\"md5$10000$c2VjcmV0LWxvb2tpbmctaGFzaA==\",\"role\":\"admin\"}",
        "{\"salt\":\"" + SALT + "\",\"hash\":\"pbkdf2-sha256$10000$%%%\",\"role\":\"admin\"}",
        "{\"salt\":\"" + SALT + "\",\"hash\":\"pbkdf2-sha256$10000$\",\"role\":\"admin\"}",
        "{\"salt\":5,\"hash\":\"" + HASH + "\",\"role\":\"admin\"}",
        "{\"salt\":\"" + SALT + "\",\"hash\":\"" + HASH + "\"}",
        "[\"" + SALT + "\"]",
        "{\"salt\":\"" + SALT + "\",\"hash\":\"" + HASH + "\"",
    })
    void aMalformedEntryIsAGlobalDbErrorNamingTheUserAndNothingOfTheEntry(String json) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> {
            StoredUser user = StoredUser.fromJson("ann", json);
            StoredUser.matches(user, "a-long-password".toCharArray(), PasswordHash.MIN_ITERATIONS);
        }).isInstanceOf(GlobalDbException.class)
                .hasMessageStartingWith("malformed entry of user ann in globaldb: ")
                .hasMessageNotContaining(SALT).hasMessageNotContaining("c2VjcmV0LWxvb2tpbmctaGFzaA"));
    }
}
