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
 * Logins cannot burn the server (issue 10, finding 6): hashes run on a bounded pool that answers {@code AUTH_BUSY}
 * when full, and one connection has one auth request in flight. Over real connections on H2, with a hasher that
 * counts and holds its calls.
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
