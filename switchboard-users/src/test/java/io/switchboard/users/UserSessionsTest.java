package io.switchboard.users;

import io.switchboard.api.SessionLocation;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.common.error.SwitchboardException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** A directory that fails (Redis down or frozen) is an error code for the caller of every user lookup. */
class UserSessionsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aFailingDirectoryIsDirectoryUnavailableForLookupPushAndKick() {
        UserSessions users = UserSessions.builder(new FailingDirectory()).build();

        for (CompletableFuture<?> call : List.of(users.lookup("ann"), users.push("ann", "r", new byte[0]),
                users.kick("ann", "bye"))) {
            assertThat(call).failsWithin(WAIT).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(SwitchboardException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(SessionErrors.DIRECTORY_UNAVAILABLE));
        }
    }

    @Test
    void anOfflineUserIsStillUserOffline() {
        UserSessions users = UserSessions.builder(new MemorySessionDirectory()).build();

        assertThat(users.push("nobody", "r", new byte[0])).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SessionErrors.USER_OFFLINE));
    }

    /** Every call fails as a Redis client does when the server is away. */
    private static final class FailingDirectory implements SessionDirectory {
        private static <T> CompletableFuture<T> down() {
            return CompletableFuture.failedFuture(new IOException("connection refused"));
        }

        @Override
        public CompletableFuture<List<SessionLocation>> bind(String uid, SessionLocation location, LoginPolicy policy) {
            return down();
        }

        @Override
        public CompletableFuture<Boolean> unbind(String uid, SessionLocation location) {
            return down();
        }

        @Override
        public CompletableFuture<List<SessionLocation>> lookup(String uid) {
            return down();
        }

        @Override
        public CompletableFuture<Void> send(String gateId, GateCommand command) {
            return down();
        }

        @Override
        public CompletableFuture<AutoCloseable> subscribe(String gateId, Consumer<GateCommand> listener) {
            return down();
        }

        @Override
        public CompletableFuture<Integer> purgeGate(String gateId) {
            return down();
        }

        @Override
        public void close() {
        }
    }
}
