package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.gate.ConcurrentChannelMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Nodes' pushes and broadcasts reach the gate's sessions they name; gone ones are skipped. */
class SessionPushesTest {
    private static final String ROUTE = "onChat";
    private static final String BODY = "{\"text\":\"hi\"}";

    private final ConcurrentChannelMap channels = new ConcurrentChannelMap();
    private final GateSessions sessions = new GateSessions();
    private final SessionPushes pushes = new SessionPushes(sessions);
    private final TestSession alice = new TestSession(1);
    private final TestSession bob = new TestSession(2);

    @AfterEach
    void tearDown() {
        alice.close();
        bob.close();
    }

    @Test
    void nothingIsDeliveredBeforeTheGateServerStarted() {
        pushes.push(Envelopes.builder(Kind.PUSH).route(ROUTE).sessionId(alice.id())
                .payload(ByteString.copyFromUtf8(BODY)).build());
        pushes.broadcast(Envelopes.builder(Kind.BROADCAST).route(ROUTE).targetSessionIds(alice.id())
                .payload(ByteString.copyFromUtf8(BODY)).build());
        assertThat(alice.pushes).isEmpty();
    }

    @Test
    void aPushReachesItsSession() {
        channels.add(alice);
        sessions.channels(channels);
        pushes.push(Envelopes.builder(Kind.PUSH).route(ROUTE).sessionId(alice.id())
                .payload(ByteString.copyFromUtf8(BODY)).build());
        pushes.push(Envelopes.builder(Kind.PUSH).route(ROUTE).sessionId(bob.id())
                .payload(ByteString.copyFromUtf8(BODY)).build());
        assertThat(alice.pushes).containsExactly(new TestSession.Pushed(ROUTE, BODY));
        assertThat(bob.pushes).isEmpty();
    }

    @Test
    void aBroadcastReachesEveryNamedSessionThatIsOpen() {
        channels.add(alice);
        channels.add(bob);
        sessions.channels(channels);
        pushes.broadcast(Envelopes.builder(Kind.BROADCAST).route(ROUTE).targetSessionIds(alice.id(), bob.id(), 99)
                .payload(ByteString.copyFromUtf8(BODY)).build());
        assertThat(alice.pushes).containsExactly(new TestSession.Pushed(ROUTE, BODY));
        assertThat(bob.pushes).containsExactly(new TestSession.Pushed(ROUTE, BODY));
    }
}
