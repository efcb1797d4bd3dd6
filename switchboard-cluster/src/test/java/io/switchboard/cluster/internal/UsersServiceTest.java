package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.PushPayload;
import io.switchboard.cluster.protocol.SystemRoutes;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.users.UserSessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gate's answers to nodes' {@code sys.user.*} requests, through its session directory. */
class UsersServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long REQUEST = 21;
    private static final String ALICE = "alice";

    private final TestUsers testUsers = new TestUsers();
    private final UserSessions users = testUsers.users;
    private final UsersService service = new UsersService(() -> TestLinks.GATE_ID, users, testUsers.sessions);
    private final TestLinks testLinks = new TestLinks();
    private final Link node = testLinks.open(3, "demo");
    private final TestSession session = new TestSession(5);

    @BeforeEach
    void setUp() {
        testUsers.channels.add(session);
    }

    @AfterEach
    void tearDown() {
        testUsers.close();
        session.close();
        testLinks.close();
    }

    private static EnvelopeBuilder request(String route) {
        return Envelopes.builder(Kind.REQUEST).route(route).requestId(REQUEST).sourceNodeId(3);
    }

    /** Sends the request and waits for its one answer. */
    private Envelope ask(EnvelopeBuilder request) {
        service.request(node, request.build());
        List<Envelope> answers = new ArrayList<>();
        await().atMost(WAIT).pollInSameThread().until(() -> {
            answers.addAll(TestLinks.sent(node));
            return !answers.isEmpty();
        });
        assertThat(answers).hasSize(1);
        Envelope answer = answers.get(0);
        assertThat(Envelopes.kind(answer)).isEqualTo(Kind.RESPONSE);
        assertThat(Envelopes.requestId(answer)).isEqualTo(REQUEST);
        return answer;
    }

    private static void assertOk(Envelope answer, String text) {
        assertThat(Envelopes.isError(answer)).as(Envelopes.errorInfo(answer)).isFalse();
        assertThat(Envelopes.payload(answer).toStringUtf8()).isEqualTo(text);
        assertThat(Envelopes.sourceNodeId(answer)).isEqualTo(TestLinks.GATE_ID);
    }

    private static void assertError(Envelope answer, ErrorCode code) {
        assertThat(Envelopes.errorCode(answer)).isEqualTo(code.code());
    }

    private Envelope login() {
        return ask(request(SystemRoutes.USER_LOGIN).sessionId(session.id()).userId(ALICE));
    }

    @Test
    void loginBindsTheSessionAndLookupFindsIt() {
        assertOk(login(), "");
        assertThat(session.userId()).isEqualTo(ALICE);
        assertOk(ask(request(SystemRoutes.USER_LOOKUP).userId(ALICE)), users.locationOf(session).key());
    }

    @Test
    void logoutUnbindsAndSaysWhetherThereWasALogin() {
        login();
        assertOk(ask(request(SystemRoutes.USER_LOGOUT).sessionId(session.id())), "true");
        assertThat(session.userId()).isNull();
        assertOk(ask(request(SystemRoutes.USER_LOGOUT).sessionId(session.id())), "false");
        assertOk(ask(request(SystemRoutes.USER_LOOKUP).userId(ALICE)), "");
    }

    @Test
    void loginOfAGoneSessionIsRefused() {
        assertError(ask(request(SystemRoutes.USER_LOGIN).sessionId(99).userId(ALICE)),
                SessionErrors.NO_SUCH_SESSION);
        assertError(ask(request(SystemRoutes.USER_LOGIN).userId(ALICE)), SessionErrors.NO_SUCH_SESSION);
    }

    @Test
    void pushReachesTheUsersSessionsAndCountsThem() {
        login();
        byte[] payload = PushPayload.encode("onNews", "{\"n\":5}".getBytes(StandardCharsets.UTF_8));
        assertOk(ask(request(SystemRoutes.USER_PUSH).userId(ALICE).payload(payload)), "1");
        assertThat(session.pushes).containsExactly(new TestSession.Pushed("onNews", "{\"n\":5}"));

        assertError(ask(request(SystemRoutes.USER_PUSH).userId("bob").payload(payload)),
                SessionErrors.USER_OFFLINE);
    }

    @Test
    void kickClosesTheUsersSessionsWithTheReason() {
        login();
        assertOk(ask(request(SystemRoutes.USER_KICK).userId(ALICE).payload(ByteString.copyFromUtf8("banned"))),
                "1");
        assertThat(session.kicks).containsExactly("banned");
        assertThat(session.pushes).extracting(TestSession.Pushed::route).containsExactly(FrameworkRoutes.KICK);
    }

    @Test
    void anUnknownUserRouteIsRefused() {
        Envelope answer = ask(request("sys.user.rename").userId(ALICE));
        assertError(answer, HandlerErrors.ROUTE_NOT_FOUND);
        assertThat(Envelopes.errorInfo(answer)).isEqualTo("no gate route sys.user.rename");
    }
}
