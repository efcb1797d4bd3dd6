package io.switchboard.cluster;

import io.switchboard.testing.RedisServerExtension;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.lettuce.core.RedisURI;
import io.switchboard.redis.RedisSessionDirectory;
import io.switchboard.users.SessionDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.switchboard.users.LoginPolicy;
import io.switchboard.api.SessionLocation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link ClusterUsersContract} on a real redis-server: each gate has its own connection, as processes would. */
class RedisClusterUsersTest extends ClusterUsersContract {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();
    private static int tests;
    private String prefix;

    @BeforeEach
    void freshPrefix() {
        prefix = "users-test-" + (++tests) + ":";
    }

    @Override
    SessionDirectory directory() {
        return RedisSessionDirectory.connect(RedisURI.create(redis.uri()), prefix);
    }

    @Test
    void entriesOfADeadGateArePurged() throws Exception {
        // A live gate refreshing every 200 ms purges gates whose liveness lapsed.
        ClusterGate gate1 = gate("gate-1", LoginPolicy.KICK_OLD, Duration.ofMillis(600));
        SessionDirectory inspector = closeLater(directory());
        // A gate that announced itself, bound a user, and died (its liveness is never refreshed).
        inspector.gateAlive("ghost-1", Duration.ofSeconds(3)).get(10, TimeUnit.SECONDS);
        SessionLocation ghost = new SessionLocation("ghost-1", 7);
        inspector.bind("u3", ghost, LoginPolicy.KICK_OLD).get(10, TimeUnit.SECONDS);
        assertThat(lookup(inspector, "u3")).containsExactly(ghost);
        await().atMost(WAIT).until(() -> lookup(inspector, "u3").isEmpty());
        assertThat(gate1.isClosed()).isFalse();
    }

    @Test
    void aFrozenRedisFailsTheRoutesThatNeedItWithinItsTimeoutWhileOthersAnswerAndThawingRestoresThem()
            throws Exception {
        ClusterGate gate = gate("gate-1", LoginPolicy.KICK_OLD);
        ServiceNode node = node("users-1");
        awaitLinked(List.of(gate), node);
        SwitchboardClient ann = client(gate);
        SwitchboardClient bob = client(gate);
        assertThat(call(ann, "users.session.login", "{\"uid\":\"ann\"}").isError()).isFalse();

        redis.freeze();
        try {
            // The gate waits 30 s for a node; the directory gives up after its 2 s command timeout, so the login
            // is answered with the directory's code, not the gate's timeout.
            Response login = call(bob, "users.session.login", "{\"uid\":\"bob\"}");
            assertThat(login.isError()).isTrue();
            assertThat(login.errorCode()).isEqualTo(SessionErrors.DIRECTORY_UNAVAILABLE.code());
            Response whoami = call(ann, "users.session.whoami", "{}");
            assertThat(whoami.isError()).as("a route that needs no Redis answers meanwhile").isFalse();
            assertThat(whoami.json().get("uid").asText()).isEqualTo("ann");
        } finally {
            redis.thaw();
        }
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(call(bob, "users.session.login", "{\"uid\":\"bob\"}").isError()).isFalse());
        assertThat(call(bob, "users.session.whoami", "{}").json().get("uid").asText()).isEqualTo("bob");
    }
}
