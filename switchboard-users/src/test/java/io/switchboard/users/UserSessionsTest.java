package io.switchboard.users;

import io.switchboard.api.SessionLocation;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.ChannelMap;
import io.switchboard.gate.ConcurrentChannelMap;
import io.switchboard.gate.KickReasons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

    @Test
    void aSessionThatClosesWhileSwitchingUsersLeavesNoEntryBehind() {
        CompletableFuture<Void> heldBind = new CompletableFuture<>();
        MemorySessionDirectory memory = new MemorySessionDirectory();
        SessionDirectory directory = new DelegatingDirectory(memory) {
            @Override
            public CompletableFuture<List<SessionLocation>> bind(String uid, SessionLocation location,
                                                                 LoginPolicy policy) {
                return "b".equals(uid) ? heldBind.thenCompose(v -> memory.bind(uid, location, policy))
                        : memory.bind(uid, location, policy);
            }
        };
        UserSessions users = UserSessions.builder(directory).policy(LoginPolicy.REFUSE_NEW).build();
        StubSession session = new StubSession(1);
        assertThat(users.login(session, "a")).succeedsWithin(WAIT);

        CompletableFuture<Void> second = users.login(session, "b");
        session.close("connection lost"); // while the bind of "b" is on its way
        heldBind.complete(null);

        assertThat(second).succeedsWithin(WAIT);
        assertThat(users.lookup("a")).succeedsWithin(WAIT).isEqualTo(List.of());
        assertThat(users.lookup("b")).succeedsWithin(WAIT).isEqualTo(List.of());
        // So the user is not locked out under REFUSE_NEW.
        assertThat(users.login(new StubSession(2), "b")).succeedsWithin(WAIT);
    }

    @Test
    void anUnbindThatFailedIsRetriedAtTheNextKeepAlive() {
        MemorySessionDirectory memory = new MemorySessionDirectory();
        boolean[] down = {false};
        SessionDirectory directory = new DelegatingDirectory(memory) {
            @Override
            public CompletableFuture<Boolean> unbind(String uid, SessionLocation location) {
                return down[0] ? CompletableFuture.failedFuture(new IOException("connection refused"))
                        : memory.unbind(uid, location);
            }
        };
        UserSessions users = UserSessions.builder(directory).build();
        StubSession session = new StubSession(1);
        assertThat(users.login(session, "a")).succeedsWithin(WAIT);

        down[0] = true;
        session.close("connection lost");
        assertThat(users.lookup("a")).succeedsWithin(WAIT).asList().hasSize(1);
        assertThat(users.unbindsToRetry()).isEqualTo(1);
        assertThat(users.keepAlive(Duration.ofSeconds(30))).succeedsWithin(WAIT);
        assertThat(users.unbindsToRetry()).as("still down: kept for the next").isEqualTo(1);

        down[0] = false;
        assertThat(users.keepAlive(Duration.ofSeconds(30))).succeedsWithin(WAIT);
        assertThat(users.unbindsToRetry()).isZero();
        assertThat(users.lookup("a")).succeedsWithin(WAIT).isEqualTo(List.of());
    }

    @ParameterizedTest
    @EnumSource(value = LoginPolicy.class, names = {"KICK_OLD", "REFUSE_NEW"})
    void aGateBackFromACutClosesItsSessionOfAUserWhoLoggedInElsewhereMeanwhile(LoginPolicy policy) {
        Cut cut = new Cut(policy);
        StubSession annOnB = cut.session(cut.channelsB, 1);
        assertThat(cut.b.login(annOnB, "ann")).succeedsWithin(WAIT);

        assertThat(cut.a.keepAlive(TTL)).succeedsWithin(WAIT);
        assertThat(cut.annOnA.closedWith()).isEqualTo(KickReasons.LOGGED_IN_ELSEWHERE);
        assertThat(annOnB.isActive()).as("the newer login stays").isTrue();
        assertThat(cut.a.lookup("ann")).succeedsWithin(WAIT).isEqualTo(List.of(cut.b.locationOf(annOnB)));
        assertThat(cut.bobOnA.isActive()).as("nobody else logged in as bob").isTrue();
        assertThat(cut.a.lookup("bob")).succeedsWithin(WAIT).isEqualTo(List.of(cut.a.locationOf(cut.bobOnA)));
    }

    @Test
    void aGateBackFromACutAllowingMultipleSessionsKeepsThemAll() {
        Cut cut = new Cut(LoginPolicy.ALLOW_MULTIPLE);
        StubSession annOnB = cut.session(cut.channelsB, 1);
        assertThat(cut.b.login(annOnB, "ann")).succeedsWithin(WAIT);

        assertThat(cut.a.keepAlive(TTL)).succeedsWithin(WAIT);
        assertThat(cut.annOnA.isActive()).isTrue();
        assertThat(annOnB.isActive()).isTrue();
        assertThat(cut.a.lookup("ann")).succeedsWithin(WAIT).asList()
                .containsExactlyInAnyOrder(cut.a.locationOf(cut.annOnA), cut.b.locationOf(annOnB));
        assertThat(cut.a.lookup("bob")).succeedsWithin(WAIT).isEqualTo(List.of(cut.a.locationOf(cut.bobOnA)));
    }

    @Test
    void aDirectoryFailingWhileAGateBindsItsSessionsAgainClosesNoneAndTheNextKeepAliveBindsThem() {
        Cut cut = new Cut(LoginPolicy.REFUSE_NEW);
        StubSession annOnB = cut.session(cut.channelsB, 1);
        assertThat(cut.b.login(annOnB, "ann")).succeedsWithin(WAIT);

        cut.directory.bindsFail = true;
        assertThat(cut.a.keepAlive(TTL)).failsWithin(WAIT);
        assertThat(cut.annOnA.isActive()).as("a failure is no refusal").isTrue();
        assertThat(cut.bobOnA.isActive()).isTrue();

        // The gate is alive again in the directory, but its sessions are not bound yet: the next keep-alive does it.
        cut.directory.bindsFail = false;
        assertThat(cut.a.keepAlive(TTL)).succeedsWithin(WAIT);
        assertThat(cut.annOnA.closedWith()).isEqualTo(KickReasons.LOGGED_IN_ELSEWHERE);
        assertThat(cut.a.lookup("bob")).succeedsWithin(WAIT).isEqualTo(List.of(cut.a.locationOf(cut.bobOnA)));
    }

    private static final Duration TTL = Duration.ofSeconds(30);

    /**
     * Gates a and b on one directory; a has ann and bob logged in, then is cut off past its keep-alive: its liveness
     * lapses and its entries are purged, as the other gates do. Its next {@link UserSessions#keepAlive} sees the lapse.
     */
    private static final class Cut {
        final CutDirectory directory = new CutDirectory(new MemorySessionDirectory());
        final ConcurrentChannelMap channelsA = new ConcurrentChannelMap();
        final ConcurrentChannelMap channelsB = new ConcurrentChannelMap();
        final UserSessions a;
        final UserSessions b;
        final StubSession annOnA;
        final StubSession bobOnA;

        Cut(LoginPolicy policy) {
            a = start("a", policy, channelsA);
            b = start("b", policy, channelsB);
            annOnA = session(channelsA, 1);
            bobOnA = session(channelsA, 2);
            assertThat(a.login(annOnA, "ann")).succeedsWithin(WAIT);
            assertThat(a.login(bobOnA, "bob")).succeedsWithin(WAIT);
            assertThat(a.keepAlive(TTL)).succeedsWithin(WAIT);
            directory.lapsed.add(a.gateId());
            assertThat(directory.purgeGate(a.gateId())).succeedsWithin(WAIT);
        }

        private UserSessions start(String gate, LoginPolicy policy, ChannelMap channels) {
            UserSessions users = UserSessions.builder(directory).gate(gate).policy(policy).build();
            assertThat(users.start(channels)).succeedsWithin(WAIT);
            return users;
        }

        StubSession session(ConcurrentChannelMap channels, long id) {
            StubSession session = new StubSession(id);
            channels.add(session);
            return session;
        }
    }

    /** A directory whose gates' liveness lapses when a test says so (memory has none), and whose binds can fail. */
    private static final class CutDirectory extends DelegatingDirectory {
        final Set<String> lapsed = ConcurrentHashMap.newKeySet();
        volatile boolean bindsFail;

        CutDirectory(SessionDirectory inner) {
            super(inner);
        }

        @Override
        public CompletableFuture<List<SessionLocation>> bind(String uid, SessionLocation location, LoginPolicy policy) {
            return bindsFail ? CompletableFuture.failedFuture(new IOException("connection refused"))
                    : super.bind(uid, location, policy);
        }

        @Override
        public CompletableFuture<Boolean> gateAlive(String gateId, Duration ttl) {
            return CompletableFuture.completedFuture(!lapsed.remove(gateId));
        }
    }

    /** A directory that passes every call to another; tests override what they change. */
    private static class DelegatingDirectory implements SessionDirectory {
        private final SessionDirectory inner;

        DelegatingDirectory(SessionDirectory inner) {
            this.inner = inner;
        }

        @Override
        public CompletableFuture<List<SessionLocation>> bind(String uid, SessionLocation location, LoginPolicy policy) {
            return inner.bind(uid, location, policy);
        }

        @Override
        public CompletableFuture<Boolean> unbind(String uid, SessionLocation location) {
            return inner.unbind(uid, location);
        }

        @Override
        public CompletableFuture<List<SessionLocation>> lookup(String uid) {
            return inner.lookup(uid);
        }

        @Override
        public CompletableFuture<Void> send(String gateId, GateCommand command) {
            return inner.send(gateId, command);
        }

        @Override
        public CompletableFuture<AutoCloseable> subscribe(String gateId, Consumer<GateCommand> listener) {
            return inner.subscribe(gateId, listener);
        }

        @Override
        public CompletableFuture<Integer> purgeGate(String gateId) {
            return inner.purgeGate(gateId);
        }

        @Override
        public void close() {
            inner.close();
        }
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
