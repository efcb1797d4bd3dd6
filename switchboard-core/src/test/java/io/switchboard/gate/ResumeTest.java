package io.switchboard.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.Session;
import io.switchboard.api.SessionListener;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Parked sessions and resume on a real gate, with clients that vanish over raw TCP and WebSocket (DESIGN §11). */
class ResumeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<DroppableClient> clients = new ArrayList<>();
    private GateServer gate;
    private OtherGates others = OtherGates.NONE;

    @AfterEach
    void tearDown() throws Exception {
        for (DroppableClient c : clients) {
            c.close();
        }
        if (gate != null) {
            gate.close();
        }
    }

    private void start(GateConfig.Builder config) throws Exception {
        gate = startGate(config, others, events);
    }

    /** A gate on the test's ticker and grace, telling {@code log} what happens to its sessions. */
    private GateServer startGate(GateConfig.Builder config, OtherGates others, List<String> log) throws Exception {
        return GateServer.builder(config.host("127.0.0.1").port(0).ticker(ticker).resumeGrace(GRACE)
                        .heartbeatCheckInterval(Duration.ofMillis(20)).build())
                .otherGates(others)
                .stateListener(recorder(log))
                .build().start();
    }

    /**
     * A state listener that writes what it is told to {@code log}: an application's {@link SessionListener} as the
     * servers adapt it, so these tests check the adapter too.
     */
    private static StateListener recorder(List<String> log) {
        return StateListener.of(new SessionListener() {
            @Override
            public void opened(Session session) {
                log.add("connected " + session.id());
            }

            @Override
            public void parked(Session session, String reason) {
                log.add("parked " + session.id());
            }

            @Override
            public void resumed(Session session, long replayed) {
                log.add("resumed " + session.id() + " replayed " + replayed);
            }

            @Override
            public void notResumed(Session session, String why) {
                log.add("not resumed " + session.id() + " " + why);
            }

            @Override
            public void closed(Session session, String reason) {
                log.add("disconnected " + session.id() + " " + reason);
            }
        });
    }

    private DroppableClient client(String scheme) throws Exception {
        DroppableClient c = DroppableClient.open(scheme, gate.port());
        clients.add(c);
        return c;
    }

    private void push(long sessionId, int n) {
        gate.push(sessionId, "onChat", Json.MAPPER.createObjectNode().put("n", n)).join();
    }

    /** Reads the pushes numbered {@code from} to {@code to}, in that order. */
    private static void readPushes(DroppableClient client, int from, int to) throws Exception {
        for (int n = from; n <= to; n++) {
            DroppableClient.Push p = client.nextPush();
            assertThat(p.route()).isEqualTo("onChat");
            assertThat(p.body().path("n").asInt()).isEqualTo(n);
        }
    }

    /** Pushes through the session's fan-out, as a room does (no future: it is written or kept in its turn). */
    private static void fanOut(Session session, int n) throws Exception {
        session.fanOut().push(List.of(session), "onChat",
                Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().put("n", n)));
    }

    private void dropAndAwaitParked(DroppableClient client, long id) throws Exception {
        long before = count("parked " + id);
        client.drop();
        await().atMost(WAIT).until(() -> count("parked " + id) == before + 1);
    }

    private long count(String event) {
        return events.stream().filter(event::equals).count();
    }

    /** Handshakes and waits for the gate to have the session (its ack is read after the client sent it). */
    private long connect(DroppableClient client) throws Exception {
        long id = client.handshake(null).path("id").asLong();
        await().atMost(WAIT).until(() -> events.contains("connected " + id));
        return id;
    }

    /** Resumes and waits for the gate to have moved the session (or made a fresh one), which it does at the ack. */
    private JsonNode resume(DroppableClient client, String token, long received) throws Exception {
        int before = events.size();
        JsonNode answer = client.resume(token, received);
        String awaited = (answer.path("resumed").asBoolean() ? "resumed " : "connected ") + answer.path("id").asLong();
        await().atMost(WAIT).until(() -> List.copyOf(events).subList(before, events.size()).stream()
                .anyMatch(e -> e.startsWith(awaited)));
        return answer;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aDroppedSessionResumesWithThePushesItMissedInOrderAndOnce(String scheme) throws Exception {
        start(GateConfig.builder());
        DroppableClient first = client(scheme);
        long id = connect(first);
        String token = first.token();
        assertThat(first.session().has("resumed")).isFalse();
        assertThat(first.handshakeAnswer.path("user").path("session")).isEqualTo(first.session()); // for Pomelo
        push(id, 1);
        push(id, 2);
        assertThat(first.nextPush().body().path("n").asInt()).isEqualTo(1);
        assertThat(first.nextPush().body().path("n").asInt()).isEqualTo(2);

        dropAndAwaitParked(first, id);
        assertThat(gate.parkedSessions()).isEqualTo(1);
        for (int n = 3; n <= 7; n++) {
            push(id, n); // buffered: the futures complete
        }

        DroppableClient again = client(scheme);
        JsonNode resumed = resume(again, token, first.received);
        assertThat(resumed.path("resumed").asBoolean()).isTrue();
        assertThat(resumed.path("id").asLong()).isEqualTo(id);
        assertThat(resumed.path("resume").asText()).isNotEqualTo(token);
        readPushes(again, 3, 7);
        push(id, 8);
        assertThat(again.nextPush().body().path("n").asInt()).isEqualTo(8);
        assertThat(again.received).isEqualTo(8);
        assertThat(events).containsExactly("connected " + id, "parked " + id, "resumed " + id + " replayed 5");
        assertThat(gate.parkedSessions()).isZero();
        assertThat(gate.metrics().resumes()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void pushesOfAFanOutAreKeptForTheResumeAsOthersAre(String scheme) throws Exception {
        // A room's fan-out encodes a push once (over WebSocket, framed once) and gives every session that buffer.
        start(GateConfig.builder());
        DroppableClient first = client(scheme);
        long id = connect(first);
        String token = first.token();
        Session session = gate.channels().get(id);
        fanOut(session, 1);
        push(id, 2);
        assertThat(first.nextPush().body().path("n").asInt()).isEqualTo(1);
        assertThat(first.nextPush().body().path("n").asInt()).isEqualTo(2);

        dropAndAwaitParked(first, id);
        fanOut(session, 3);
        push(id, 4); // buffered once its future completes, and so is the fan-out's push before it
        fanOut(session, 5);
        push(id, 6);

        DroppableClient again = client(scheme);
        JsonNode resumed = resume(again, token, first.received);
        assertThat(resumed.path("resumed").asBoolean()).isTrue();
        readPushes(again, 3, 6);
        fanOut(session, 7);
        assertThat(again.nextPush().body().path("n").asInt()).isEqualTo(7);
        assertThat(again.received).isEqualTo(7);
        assertThat(events).containsExactly("connected " + id, "parked " + id, "resumed " + id + " replayed 4");
    }

    @ParameterizedTest
    @CsvSource({"tcp, ws", "ws, tcp"})
    void aResumeOverTheOtherTransportGetsAFreshSession(String before, String after) throws Exception {
        // A WebSocket session's answers and pushes are framed before they are written: it stays on its transport.
        start(GateConfig.builder());
        DroppableClient first = client(before);
        long id = connect(first);
        String token = first.token();
        dropAndAwaitParked(first, id);

        DroppableClient other = client(after);
        JsonNode answer = resume(other, token, 0);
        assertThat(answer.path("resumed").asBoolean(true)).isFalse();
        assertThat(answer.path("id").asLong()).isNotEqualTo(id);
        assertThat(gate.metrics().resumesRefused(ResumeRefusal.HANDSHAKE_MISMATCH)).isEqualTo(1);
        assertThat(gate.parkedSessions()).isEqualTo(1); // the session itself waits on

        DroppableClient same = client(before);
        assertThat(resume(same, token, 0).path("resumed").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void theGracePeriodEndsOnTheTickerAndTheSessionClosesOnce(String scheme) throws Exception {
        start(GateConfig.builder());
        DroppableClient first = client(scheme);
        long id = connect(first);
        String token = first.token();
        dropAndAwaitParked(first, id);
        push(id, 1);

        ticker.advance(GRACE.minusSeconds(1));
        DroppableClient probe = client(scheme);
        connect(probe); // a round trip: the sweep has run meanwhile, and ended nothing
        assertThat(events).noneMatch(e -> e.startsWith("disconnected " + id));

        ticker.advance(Duration.ofSeconds(2));
        await().atMost(WAIT).until(() -> events.contains("disconnected " + id + " resume grace period over"));
        assertThat(gate.parkedSessions()).isZero();
        assertThat(gate.channels().get(id)).isNull();

        DroppableClient late = client(scheme);
        JsonNode fresh = resume(late, token, 0);
        assertThat(fresh.path("resumed").asBoolean(true)).isFalse();
        long freshId = fresh.path("id").asLong();
        assertThat(freshId).isNotEqualTo(id);
        await().atMost(WAIT).until(() -> events.contains("not resumed " + freshId + " unknown_session"));
        assertThat(events.stream().filter(e -> e.startsWith("disconnected " + id))).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void forgedAndReusedTokensGetAFreshSession(String scheme) throws Exception {
        start(GateConfig.builder());
        DroppableClient first = client(scheme);
        long id = connect(first);
        String token = first.token();
        dropAndAwaitParked(first, id);

        String forged = id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);
        for (String bad : List.of(forged, "not a token", id + ".short")) {
            DroppableClient forger = client(scheme);
            JsonNode answer = resume(forger, bad, 0);
            assertThat(answer.path("resumed").asBoolean(true)).isFalse();
            assertThat(answer.path("id").asLong()).isNotEqualTo(id);
        }
        assertThat(gate.metrics().resumesRefused(ResumeRefusal.INVALID_TOKEN)).isEqualTo(3);

        DroppableClient owner = client(scheme);
        JsonNode resumed = resume(owner, token, 0);
        assertThat(resumed.path("resumed").asBoolean()).isTrue();
        dropAndAwaitParked(owner, id);

        DroppableClient replayer = client(scheme);
        JsonNode reused = resume(replayer, token, 0);
        assertThat(reused.path("resumed").asBoolean(true)).isFalse();
        long freshId = reused.path("id").asLong();
        await().atMost(WAIT).until(() -> events.contains("not resumed " + freshId + " token_already_used"));
        assertThat(gate.parkedSessions()).isEqualTo(1); // the session itself is untouched

        DroppableClient tooMany = client(scheme);
        JsonNode counted = resume(tooMany, resumed.path("resume").asText(), 1);
        assertThat(counted.path("resumed").asBoolean(true)).isFalse();
        assertThat(gate.metrics().resumesRefused(ResumeRefusal.BAD_RECEIVED_COUNT)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aParkedSessionWhoseBufferOverflowsEndsAndCannotBeResumed(String scheme) throws Exception {
        start(GateConfig.builder().resumeBufferBytes(256));
        DroppableClient first = client(scheme);
        long id = connect(first);
        String token = first.token();
        dropAndAwaitParked(first, id);
        String text = "x".repeat(100);
        for (int n = 0; n < 3; n++) {
            gate.push(id, "onChat", Json.MAPPER.createObjectNode().put("text", text));
        }
        await().atMost(WAIT).until(() -> events.contains("disconnected " + id + " resume buffer overflow"));

        DroppableClient again = client(scheme);
        JsonNode answer = resume(again, token, 0);
        assertThat(answer.path("resumed").asBoolean(true)).isFalse();
        assertThat(answer.path("id").asLong()).isNotEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aResumeWhileTheOldConnectionIsStillOpenClosesItFirst(String scheme) throws Exception {
        start(GateConfig.builder());
        DroppableClient halfOpen = client(scheme);
        long id = connect(halfOpen);
        String token = halfOpen.token();
        push(id, 1);
        assertThat(halfOpen.nextPush().body().path("n").asInt()).isEqualTo(1);
        push(id, 2); // in flight when the client gives up on this connection

        DroppableClient fresh = client(scheme);
        JsonNode resumed = resume(fresh, token, 1);
        assertThat(resumed.path("resumed").asBoolean()).isTrue();
        assertThat(fresh.nextPush().body().path("n").asInt()).isEqualTo(2);
        halfOpen.awaitEnd();
        push(id, 3);
        assertThat(fresh.nextPush().body().path("n").asInt()).isEqualTo(3);
        assertThat(events).containsExactly("connected " + id, "resumed " + id + " replayed 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aTokenOfAnotherGateIsRefusedAtOnceAndThatGateReleasesTheSessionOnTheWholeTokenOnly(String scheme)
            throws Exception {
        // This gate is number 7; the other, number 3, holds sessions too: asks about its tokens go to it.
        GateServer[] other = new GateServer[1];
        List<String> asks = new CopyOnWriteArrayList<>();
        others = new OtherGates() {
            @Override
            public int selfNumber() {
                return 7;
            }

            @Override
            public void release(int gateNumber, long sessionId, String token) {
                asks.add(gateNumber + " " + sessionId);
                other[0].releaseParked(token);
            }
        };
        List<String> otherEvents = new CopyOnWriteArrayList<>();
        other[0] = startGate(GateConfig.builder(), new OtherGates() {
            @Override
            public int selfNumber() {
                return 3;
            }

            @Override
            public void release(int gateNumber, long sessionId, String token) {
            }
        }, otherEvents);
        try {
            start(GateConfig.builder());
            DroppableClient there = DroppableClient.open(scheme, other[0].port());
            clients.add(there);
            long id = there.handshake(null).path("id").asLong();
            String token = there.token();
            assertThat(token).startsWith("3:" + id + ".");
            there.drop();
            await().atMost(WAIT).until(() -> otherEvents.contains("parked " + id));

            String forged = "3:" + id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);
            assertThat(other[0].releaseParked(forged)).as("a forged token releases nothing").isFalse();
            assertThat(other[0].releaseParked(token.substring(2))).as("nor one without the gate").isFalse();
            assertThat(other[0].parkedSessions()).isEqualTo(1);

            JsonNode answer = resume(client(scheme), token, 0);
            assertThat(answer.path("resumed").asBoolean(true)).isFalse();
            assertThat(answer.path("resume").asText()).startsWith("7:");
            assertThat(asks).containsExactly("3 " + id);
            assertThat(gate.metrics().resumesRefused(ResumeRefusal.OTHER_GATE)).isEqualTo(1);
            // At once: the ticker never moved, so no grace period ended.
            await().atMost(WAIT).until(() -> otherEvents.contains("disconnected " + id + " resumed on another gate"));
            assertThat(other[0].parkedSessions()).isZero();
            assertThat(other[0].releaseParked(token)).as("once").isFalse();
        } finally {
            other[0].close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aKickEndsTheSessionWithoutParkingIt(String scheme) throws Exception {
        start(GateConfig.builder());
        DroppableClient client = client(scheme);
        long id = connect(client);
        gate.kick(id, "go away");
        client.awaitEnd();
        await().atMost(WAIT).until(() -> events.contains("disconnected " + id + " go away"));
        assertThat(events).doesNotContain("parked " + id);
    }
}
