package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.gate.Acceptance;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.protocol.HandshakeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A handshake token is checked on the token pool, and not at all once its client has gone. */
class TokenAcceptorTest {
    private final AuthPool pool = new AuthPool("token-test", 1, 4);
    // No store: a check that reached it would fail; a forged token is refused before it does.
    private final Accounts accounts = new Accounts(null, null, null, null, null,
            new TokenSigner(new byte[32], Clock.systemUTC(), Duration.ofHours(1)), () -> 1, Clock.systemUTC());
    private final TokenAcceptor acceptor = new TokenAcceptor(accounts, pool);

    @AfterEach
    void close() {
        pool.close();
    }

    private static HandshakeInfo handshake(AtomicBoolean open) throws Exception {
        byte[] body = "{\"sys\":{\"type\":\"java\",\"version\":\"1\"},\"user\":{\"token\":\"forged\"}}"
                .getBytes(StandardCharsets.UTF_8);
        return new HandshakeInfo(HandshakeRequest.parse(body), null, HandshakeInfo.Transport.TCP, open::get);
    }

    @Test
    void aTokenOfAnOpenConnectionIsCheckedAndAForgedOneRefused() throws Exception {
        Acceptance verdict = acceptor.accept(handshake(new AtomicBoolean(true))).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(verdict.userId()).isNull();
        assertThat(verdict.user().get("code").asLong()).isEqualTo(ChatErrors.BAD_TOKEN.code());
    }

    @Test
    void aCheckThatWaitedWhileItsClientLeftIsSkipped() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        pool.submit(() -> {
            try {
                return busy.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicBoolean open = new AtomicBoolean(true);
        var pending = acceptor.accept(handshake(open)).toCompletableFuture();
        open.set(false); // the client hung up while its check waited behind the busy thread
        busy.countDown();

        Acceptance verdict = pending.get(10, TimeUnit.SECONDS);
        assertThat(verdict.user()).as("not checked: no verdict on the token at all").isNull();
        assertThat(verdict.userId()).isNull();
    }
}
