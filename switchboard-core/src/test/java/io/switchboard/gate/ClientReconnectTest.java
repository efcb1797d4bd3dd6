package io.switchboard.gate;

import io.netty.channel.Channel;
import io.switchboard.client.CloseReason;
import io.switchboard.client.ConnectionClosedException;
import io.switchboard.client.Dialer;
import io.switchboard.client.Push;
import io.switchboard.client.ReconnectListener;
import io.switchboard.client.ReconnectPolicy;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.client.TcpDialer;
import io.switchboard.client.WebSocketDialer;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java client with reconnect on, against a real gate: its connection is closed under it by the gate (no kick,
 * so the gate parks the session), it dials again by itself and resumes, and its push listeners get the pushes sent
 * meanwhile, in order, once (README "Reconnect and resume").
 */
class ClientReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ReconnectPolicy FAST = ReconnectPolicy.defaults()
            .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20));

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private final List<Long> sessions = new CopyOnWriteArrayList<>();
    private final HeldDialer dialer = new HeldDialer();
    private GateServer gate;
    private SwitchboardClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            assertThat(client.close()).succeedsWithin(WAIT);
        }
        if (gate != null) {
            gate.close();
        }
    }

    private void start(Duration resumeGrace) throws Exception {
        gate = GateServer.builder(GateConfig.builder().host("127.0.0.1").port(0).resumeGrace(resumeGrace)
                        .heartbeatCheckInterval(Duration.ofMillis(20)).build())
                .messageListener((session, message) -> {
                    // Echoes requests, except on silent.* routes, which never get an answer.
                    if (message.type() == MessageType.REQUEST && !message.route().startsWith("silent.")) {
                        session.write(PomeloMessage.response(message.id(), message.content().retainedDuplicate()));
                    }
                    message.release();
                })
                .stateListener(new StateListener() {
                    @Override
                    public void connected(GateSession session) {
                        sessions.add(session.id());
                    }

                    @Override
                    public void disconnected(GateSession session, String reason) {
                    }
                })
                .build().start();
    }

    /** A client with reconnect on, connected, whose session the gate has taken (it waits for the ack). */
    private long connect(String scheme) {
        client = SwitchboardClient.builder(URI.create(scheme + "://127.0.0.1:" + gate.port()))
                .dialer(dialer.over(scheme.equals("ws") ? WebSocketDialer.INSTANCE : TcpDialer.INSTANCE))
                .reconnect(FAST).build();
        client.onPush(pushes::add);
        client.onClose(reason -> events.add("closed " + reason));
        client.onReconnect(new ReconnectListener() {
            @Override
            public void onDisconnect(CloseReason reason) {
                events.add("disconnected");
            }

            @Override
            public void onReconnect(boolean recovered, String reason) {
                events.add("reconnected " + recovered + " " + reason);
            }
        });
        assertThat(client.connect()).succeedsWithin(WAIT);
        await().atMost(WAIT).until(() -> sessions.size() == 1);
        return sessions.get(0);
    }

    private long sessionId() {
        return client.handshakeResponse().path("sys").path("session").path("id").asLong();
    }

    private void push(long sessionId, int n) {
        gate.push(sessionId, "onChat", Json.MAPPER.createObjectNode().put("n", n)).join();
    }

    private List<Integer> received() {
        return pushes.stream().map(p -> p.json().path("n").asInt()).toList();
    }

    /** Closes the gate's end of the session's connection: no kick, no reason, so the gate sees a drop. */
    private void dropUnderTheClient(long id) {
        gate.channels().get(id).channel().close().syncUninterruptibly();
    }

    /** A connected client whose connection the gate dropped (the session is parked) and whose dials are held. */
    private long droppedWhileTheNetworkIsDown(String scheme) throws Exception {
        start(Duration.ofSeconds(30));
        long id = connect(scheme);
        dialer.hold();
        dropUnderTheClient(id);
        await().atMost(WAIT).until(() -> gate.parkedSessions() == 1);
        return id;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aDroppedClientReconnectsByItselfAndGetsThePushesItMissedInOrderOnce(String scheme) throws Exception {
        start(Duration.ofSeconds(30));
        long id = connect(scheme);
        push(id, 1);
        push(id, 2);
        await().atMost(WAIT).until(() -> pushes.size() == 2);
        CompletableFuture<?> waiting = client.request("silent.wait", Json.MAPPER.createObjectNode());

        dialer.hold();
        dropUnderTheClient(id);
        await().atMost(WAIT).until(() -> gate.parkedSessions() == 1 && events.contains("disconnected"));
        assertThat(waiting).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(ConnectionClosedException.class);
        for (int n = 3; n <= 7; n++) {
            push(id, n); // buffered at the gate while the client is away
        }
        assertThat(client.isConnected()).isFalse();
        dialer.release();

        await().atMost(WAIT).until(() -> events.contains("reconnected true session resumed"));
        assertThat(sessionId()).isEqualTo(id);
        push(id, 8);
        await().atMost(WAIT).until(() -> pushes.size() >= 8);
        assertThat(received()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(client.pushesReceived()).isEqualTo(8);
        assertThat(gate.parkedSessions()).isZero();
        assertThat(events).containsExactly("disconnected", "reconnected true session resumed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void withResumeOffOnTheGateItReconnectsWithAFreshSession(String scheme) throws Exception {
        start(Duration.ZERO);
        long id = connect(scheme);
        push(id, 1);
        await().atMost(WAIT).until(() -> pushes.size() == 1);

        dropUnderTheClient(id);

        await().atMost(WAIT).until(() -> events.contains("reconnected false the server offers no resume"));
        assertThat(client.isConnected()).isTrue();
        assertThat(client.pushesReceived()).isZero();
        await().atMost(WAIT).until(() -> sessions.size() == 2);
        assertThat(sessions.get(1)).isNotEqualTo(id);
        assertThat(gate.channels().get(id)).isNull();
        assertThat(client.request("anything", Json.MAPPER.createObjectNode())).succeedsWithin(WAIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aSessionNoLongerParkedGivesAFreshSessionAndTheListenerSaysSo(String scheme) throws Exception {
        long id = droppedWhileTheNetworkIsDown(scheme);
        gate.kick(id, "gone"); // ends the parked session: its token resumes nothing any more
        await().atMost(WAIT).until(() -> gate.parkedSessions() == 0);
        dialer.release();

        await().atMost(WAIT).until(() -> events.contains(
                "reconnected false the server could not resume the session"));
        assertThat(sessionId()).isNotEqualTo(id);
        long fresh = sessionId();
        push(fresh, 1);
        await().atMost(WAIT).until(() -> pushes.size() == 1);
        assertThat(client.pushesReceived()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aKickEndsTheClientWithoutReconnecting(String scheme) throws Exception {
        start(Duration.ofSeconds(30));
        long id = connect(scheme);
        int dials = dialer.dials();

        gate.kick(id, "go away");

        await().atMost(WAIT).until(() -> events.contains("closed kicked: go away"));
        assertThat(dialer.dials()).isEqualTo(dials);
        assertThat(events).containsExactly("closed kicked: go away");
        assertThat(client.isConnected()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void closeWhileReconnectingStopsIt(String scheme) throws Exception {
        long id = droppedWhileTheNetworkIsDown(scheme);
        await().atMost(WAIT).until(() -> dialer.waiting() == 1);

        assertThat(client.close()).succeedsWithin(WAIT);
        dialer.release();

        assertThat(events).containsExactly("disconnected", "closed closed by client");
        assertThat(dialer.dials()).isEqualTo(2);
        assertThat(gate.channels().get(id)).isNotNull(); // still parked: nothing resumed it
        assertThat(gate.parkedSessions()).isEqualTo(1);
    }

    /** A dialer that, while held, keeps its dials waiting until released: "the network is down for a while". */
    private static final class HeldDialer {
        private final AtomicReference<CompletableFuture<Void>> gateOpen =
                new AtomicReference<>(CompletableFuture.completedFuture(null));
        private final List<CompletableFuture<Void>> waiting = new CopyOnWriteArrayList<>();
        private volatile int dials;

        Dialer over(Dialer real) {
            return context -> {
                dials++;
                CompletableFuture<Void> open = gateOpen.get();
                if (!open.isDone()) {
                    waiting.add(open);
                }
                CompletableFuture<Channel> result = new CompletableFuture<>();
                open.thenRun(() -> {
                    if (result.isDone()) {
                        return; // given up (cancelled) while held: never dial
                    }
                    real.dial(context).whenComplete((channel, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(failure);
                        } else if (!result.complete(channel)) {
                            channel.close();
                        }
                    });
                });
                return result;
            };
        }

        void hold() {
            gateOpen.set(new CompletableFuture<>());
        }

        void release() {
            gateOpen.get().complete(null);
        }

        int dials() {
            return dials;
        }

        long waiting() {
            return waiting.stream().filter(f -> !f.isDone()).count();
        }
    }
}
