package io.switchboard.chat;

import io.switchboard.chat.ChatHarness.Client;
import io.switchboard.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.chat.ChatHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Logins cannot burn the server (issue 10, finding 6): failed logins lock the name and the client address before
 * any hash, hashes run on a bounded pool that answers {@code AUTH_BUSY} when full, and one connection has one
 * auth request in flight. Over real connections on H2, with a hasher that counts and holds its calls.
 */
class AuthLimitsTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final HeldHasher hasher = new HeldHasher(1_000);
    ChatHarness chat;

    @AfterEach
    void stop() {
        hasher.release();
        if (chat != null) {
            chat.close();
        }
    }

    /** A chat server with {@code config}, the test's clock and its hasher (1,000 iterations, for speed). */
    private void start(ChatConfig.Builder config) throws Exception {
        chat = new ChatHarness(ChatApp.open(config
                .jdbcUrl(ChatConfig.h2MemoryUrl("auth-" + UUID.randomUUID()))
                .clock(clock)
                .build(), hasher));
    }

    @Test
    void wrongPasswordsLockTheNameBeforeAnyHashForALockThatGrowsAndExpires() throws Exception {
        start(ChatConfig.builder());   // 5 failures per name, locks from 1 s
        chat.register("ann");
        Client c = chat.connect();
        for (int i = 0; i < ChatConfig.DEFAULT_LOGIN_FAILURES_PER_NAME; i++) {
            Response wrong = c.call(ChatRoutes.LOGIN, json("name", "ann", "password", "guess-" + i));
            assertThat(wrong.errorCode()).isEqualTo(ChatErrors.WRONG_PASSWORD.code());
            assertThat(wrong.errorMessage()).isEqualTo("wrong name or password");
        }
        int hashed = hasher.calls();

        // Locked: even the right password is refused, and nothing is hashed.
        Response locked = c.call(ChatRoutes.LOGIN, json("name", "ann", "password", "ann-secret"));
        assertThat(locked.errorCode()).isEqualTo(ChatErrors.TOO_MANY_ATTEMPTS.code());
        assertThat(locked.errorMessage()).isEqualTo("too many failed logins; try again in 1 s");
        assertThat(chat.connect().error(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret"))
                .isEqualTo(ChatErrors.TOO_MANY_ATTEMPTS.code());
        assertThat(hasher.calls()).isEqualTo(hashed);

        // The lock runs out on the clock; the next failure locks twice as long.
        clock.advance(ChatConfig.DEFAULT_FIRST_LOGIN_LOCK);
        assertThat(c.error(ChatRoutes.LOGIN, "name", "ann", "password", "guess-again"))
                .isEqualTo(ChatErrors.WRONG_PASSWORD.code());
        clock.advance(ChatConfig.DEFAULT_FIRST_LOGIN_LOCK);
        assertThat(c.error(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret"))
                .isEqualTo(ChatErrors.TOO_MANY_ATTEMPTS.code());
        assertThat(hasher.calls()).isEqualTo(hashed + 1);
        clock.advance(ChatConfig.DEFAULT_FIRST_LOGIN_LOCK);
        c.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret");

        // The success cleared the name: one failure does not lock it again.
        Client other = chat.connect();
        assertThat(other.error(ChatRoutes.LOGIN, "name", "ann", "password", "one-typo"))
                .isEqualTo(ChatErrors.WRONG_PASSWORD.code());
        other.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret");
    }

    @Test
    void oneAddressRegistersAtMostItsLimitPerWindowBeforeAnyHash() throws Exception {
        start(ChatConfig.builder().registrationLimit(2, Duration.ofHours(1)));   // every client here is 127.0.0.1
        chat.register("ann");
        chat.register("bob");
        int hashed = hasher.calls();

        Response refused = chat.connect().call(ChatRoutes.REGISTER, json("name", "cat", "password", "cat-secret"));
        assertThat(refused.errorCode()).isEqualTo(ChatErrors.TOO_MANY_ATTEMPTS.code());
        assertThat(refused.errorMessage()).isEqualTo(
                "too many accounts registered from this address; try again in 3600 s");
        assertThat(hasher.calls()).as("nothing hashed for it").isEqualTo(hashed);
        // Logins are not registrations: the accounts made still log in.
        chat.login("ann");

        clock.advance(Duration.ofHours(1));
        chat.register("cat");
    }

    @Test
    void failuresFromOneAddressLockItAcrossNames() throws Exception {
        start(ChatConfig.builder());   // 20 failures per address; every client here is 127.0.0.1
        chat.register("ann");
        for (int i = 0; i < ChatConfig.DEFAULT_LOGIN_FAILURES_PER_IP; i++) {
            Client guesser = chat.connect();
            assertThat(guesser.error(ChatRoutes.LOGIN, "name", "guess" + i, "password", "password" + i))
                    .isEqualTo(ChatErrors.WRONG_PASSWORD.code());
            guesser.close();
        }
        int hashed = hasher.calls();
        assertThat(chat.connect().error(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret"))
                .isEqualTo(ChatErrors.TOO_MANY_ATTEMPTS.code());
        assertThat(hasher.calls()).isEqualTo(hashed);

        clock.advance(ChatConfig.DEFAULT_FIRST_LOGIN_LOCK);
        chat.connect().ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret");
        // ann's success does not clear the address: its next failure locks it for 2 s.
        assertThat(chat.connect().error(ChatRoutes.LOGIN, "name", "zed", "password", "password"))
                .isEqualTo(ChatErrors.WRONG_PASSWORD.code());
        clock.advance(ChatConfig.DEFAULT_FIRST_LOGIN_LOCK);
        assertThat(chat.connect().error(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret"))
                .isEqualTo(ChatErrors.TOO_MANY_ATTEMPTS.code());
    }

    @Test
    void aFullAuthPoolAnswersBusyAtOnce() throws Exception {
        start(ChatConfig.builder().authPool(1, 1));
        for (String name : new String[] {"ann", "bob", "cat"}) {
            chat.register(name);
        }
        hasher.hold();
        Client ann = chat.connect();
        CompletableFuture<Response> running = login(ann, "ann");
        await().atMost(WAIT).until(() -> hasher.held() == 1);

        // One thread, busy, and one queue slot: of the next two logins one waits and the other is refused now.
        CompletableFuture<Response> bob = login(chat.connect(), "bob");
        CompletableFuture<Response> cat = login(chat.connect(), "cat");
        Response refused = (Response) CompletableFuture.anyOf(bob, cat).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(refused.errorCode()).isEqualTo(ChatErrors.AUTH_BUSY.code());
        boolean bobRefused = bob.isDone();
        CompletableFuture<Response> queued = bobRefused ? cat : bob;
        assertThat(queued).isNotDone();
        assertThat(running).isNotDone();

        hasher.release();
        assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS).isError()).isFalse();
        assertThat(queued.get(WAIT.toSeconds(), TimeUnit.SECONDS).isError()).isFalse();
        // Busy is no failure: the refused user logs in on its next try.
        assertThat(login(chat.connect(), bobRefused ? "bob" : "cat").get(WAIT.toSeconds(), TimeUnit.SECONDS)
                .isError()).isFalse();
    }

    @Test
    void aConnectionHasOneAuthRequestInFlight() throws Exception {
        start(ChatConfig.builder());
        chat.register("ann");
        hasher.hold();
        Client c = chat.connect();
        CompletableFuture<Response> first = login(c, "ann");
        await().atMost(WAIT).until(() -> hasher.held() == 1);

        assertThat(c.error(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret"))
                .isEqualTo(ChatErrors.AUTH_IN_PROGRESS.code());
        assertThat(c.error(ChatRoutes.REGISTER, "name", "bob", "password", "bob-secret"))
                .isEqualTo(ChatErrors.AUTH_IN_PROGRESS.code());
        assertThat(c.error(ChatRoutes.RESUME, "token", "a.b")).isEqualTo(ChatErrors.AUTH_IN_PROGRESS.code());
        // Another connection is not held up by this one's.
        assertThat(chat.connect().error(ChatRoutes.RESUME, "token", "a.b")).isEqualTo(ChatErrors.BAD_TOKEN.code());
        assertThat(hasher.held()).isEqualTo(1);

        hasher.release();
        Response answer = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.isError()).isFalse();
        // Done: the connection's next auth request runs.
        c.ok(ChatRoutes.RESUME, "token", answer.json().get("token").asText());
    }

    private static CompletableFuture<Response> login(Client client, String name) {
        return client.client.request(ChatRoutes.LOGIN, json("name", name, "password", name + "-secret"));
    }
}
