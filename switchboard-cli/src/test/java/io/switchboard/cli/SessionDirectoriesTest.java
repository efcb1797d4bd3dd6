package io.switchboard.cli;

import io.switchboard.testing.RedisServerExtension;
import io.switchboard.users.SessionDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The directory's Redis credentials come from the environment and reach a Redis that has an ACL user only. */
class SessionDirectoriesTest {
    /** Only the ACL user "gate" may connect: the default user is off. */
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension("--user", "gate", "on", ">gate-secret", "~*",
            "&*", "+@all", "--user", "default", "off");

    @Test
    void anAclUserAndPasswordFromTheEnvironmentAreUsed() throws Exception {
        assertThat(lookupWith(Map.of(SessionDirectories.REDIS_USER_ENV, "gate",
                SessionDirectories.REDIS_PASSWORD_ENV, "gate-secret"))).isEqualTo("[]");
    }

    @Test
    void withoutTheRightCredentialsTheDirectoryIsRefused() {
        assertThatThrownBy(() -> lookupWith(Map.of())).isNotNull();
        assertThatThrownBy(() -> lookupWith(Map.of(SessionDirectories.REDIS_USER_ENV, "gate",
                SessionDirectories.REDIS_PASSWORD_ENV, "wrong"))).isNotNull();
    }

    /** Opens the directory with {@code env}, looks a user up, closes it; what the lookup found, as text. */
    private static String lookupWith(Map<String, String> env) throws Exception {
        try (SessionDirectory directory = SessionDirectories.open(redis.uri(), env)) {
            return directory.lookup("nobody").get(10, TimeUnit.SECONDS).toString();
        }
    }
}
