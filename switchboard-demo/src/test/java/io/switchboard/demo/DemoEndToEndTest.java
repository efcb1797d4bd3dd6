package io.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.CloseReason;
import io.netty.channel.Channel;
import io.switchboard.client.Dialer;
import io.switchboard.client.TcpDialer;
import io.switchboard.client.WebSocketDialer;
import java.util.concurrent.atomic.AtomicReference;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickReasons;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo server in-process, driven by the Java client over raw TCP and over WebSocket; a member that vanishes (its
 * socket closed under the client, no kick, no close frame) resumes its session (README: "Reconnect and resume").
 */
class DemoEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration RESUME_GRACE = Duration.ofSeconds(30);
    private static final int MISSED_CHATS = 5;

    private final List<SwitchboardClient> clients = new ArrayList<>();
    private DemoServer server;

    @AfterEach
    void tearDown() {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        if (server != null) {
            server.close();
        }
    }

    private void start(GateConfig.Builder gate) throws Exception {
        server = DemoServer.start(gate.host("127.0.0.1").port(0), 0);
    }

    private SwitchboardClient connect(String scheme) throws Exception {
        return connect(SwitchboardClient.builder(URI.create(scheme + "://127.0.0.1:" + server.port())).build());
    }

    private SwitchboardClient connect(SwitchboardClient client) throws Exception {
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static Response answer(CompletableFuture<Response> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void echoRequestAndNotifyToPush(String scheme) throws Exception {
        start(GateConfig.builder());
        SwitchboardClient client = connect(scheme);
        Response response = answer(client.request("demo.echo.say", json("{\"hello\":\"world\",\"n\":[1,2]}")));
        assertThat(response.isError()).isFalse();
        assertThat(response.json()).isEqualTo(json("{\"hello\":\"world\",\"n\":[1,2]}"));
        assertThat(answer(client.request("demo.echo.sayOnWorkers", json("{\"on\":\"workers\"}"))).json())
                .isEqualTo(json("{\"on\":\"workers\"}"));
        // The bytes echo hands back exactly what it got, spacing and all: nothing was parsed and written again.
        byte[] spaced = "{ \"as\" : \"bytes\" }".getBytes(StandardCharsets.UTF_8);
        assertThat(answer(client.request("demo.echo.sayBytesOnWorkers", spaced)).body()).isEqualTo(spaced);

        List<Push> pushes = new CopyOnWriteArrayList<>();
        client.onPush("onTell", pushes::add);
        client.notify("demo.echo.tell", json("{\"n\":7}")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> pushes.size() == 1);
        assertThat(pushes.get(0).json()).isEqualTo(json("{\"n\":7}"));
    }

    @Test
    void joinsSentBackToBackLeaveTheSessionInOneRoom() throws Exception {
        start(GateConfig.builder());
        SwitchboardClient ann = connect("tcp");
        List<CompletableFuture<Response>> joins = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            joins.add(ann.request("demo.room.join", json("{\"room\":\"r" + i + "\",\"name\":\"ann\"}")));
        }
        for (CompletableFuture<Response> join : joins) {
            assertThat(answer(join).isError()).isFalse();
        }

        // Each join left the room before it: the session ends in the last one, and the others closed empty.
        await().atMost(WAIT).until(() -> server.rooms().rooms().size() == 1);
        assertThat(server.rooms().get("r49")).hasValueSatisfying(room -> assertThat(room.size()).isEqualTo(1));
        List<Push> chats = new CopyOnWriteArrayList<>();
        ann.onPush(DemoRooms.ON_CHAT, chats::add);
        ann.notify("demo.room.say", json("{\"text\":\"hi\"}")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> chats.size() == 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void roomsJoinSayLeave(String scheme) throws Exception {
        start(GateConfig.builder());
        SwitchboardClient ann = connect(scheme);
        SwitchboardClient bob = connect(scheme);
        List<Push> annPushes = new CopyOnWriteArrayList<>();
        List<Push> bobPushes = new CopyOnWriteArrayList<>();
        ann.onPush(annPushes::add);
        bob.onPush(bobPushes::add);

        Response first = answer(ann.request("demo.room.join", json("{\"room\":\"r1\",\"name\":\"ann\"}")));
        assertThat(first.json()).isEqualTo(json("{\"code\":200,\"members\":[\"ann\"]}"));
        Response second = answer(bob.request("demo.room.join", json("{\"room\":\"r1\",\"name\":\"bob\"}")));
        assertThat(second.json()).isEqualTo(json("{\"code\":200,\"members\":[\"ann\",\"bob\"]}"));
        await().atMost(WAIT).until(() -> annPushes.size() == 1);
        assertThat(annPushes.get(0).route()).isEqualTo("onJoin");
        assertThat(annPushes.get(0).json()).isEqualTo(json("{\"name\":\"bob\"}"));

        ann.notify("demo.room.say", json("{\"text\":\"hi\"}"));
        await().atMost(WAIT).until(() -> annPushes.size() == 2 && bobPushes.size() == 1);
        for (Push chat : List.of(annPushes.get(1), bobPushes.get(0))) {
            assertThat(chat.route()).isEqualTo("onChat");
            assertThat(chat.json()).isEqualTo(json("{\"from\":\"ann\",\"text\":\"hi\"}"));
        }

        Response left = answer(bob.request("demo.room.leave", json("{}")));
        assertThat(left.json()).isEqualTo(json("{\"code\":200}"));
        await().atMost(WAIT).until(() -> annPushes.size() == 3);
        assertThat(annPushes.get(2).route()).isEqualTo("onLeave");
        assertThat(annPushes.get(2).json()).isEqualTo(json("{\"name\":\"bob\"}"));

        Response again = answer(bob.request("demo.room.leave", json("{}")));
        assertThat(again.isError()).isTrue();
        assertThat(again.errorCode()).isEqualTo(DemoErrors.NOT_IN_ROOM.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aQuietMemberTellsNobodyOfItsJoinOrLeave(String scheme) throws Exception {
        start(GateConfig.builder());
        SwitchboardClient ann = connect(scheme);
        SwitchboardClient bob = connect(scheme);
        List<Push> annPushes = new CopyOnWriteArrayList<>();
        ann.onPush(annPushes::add);

        answer(ann.request("demo.room.join", json("{\"room\":\"r1\",\"name\":\"ann\"}")));
        Response quiet = answer(bob.request("demo.room.join", json("{\"room\":\"r1\",\"name\":\"bob\",\"quiet\":true}")));
        assertThat(quiet.json()).isEqualTo(json("{\"code\":200,\"size\":2}"));
        // Bob is in: what he says reaches Ann, and it is the first push she gets (no onJoin came before it).
        bob.notify("demo.room.say", json("{\"text\":\"hi\"}"));
        await().atMost(WAIT).until(() -> !annPushes.isEmpty());
        assertThat(annPushes.get(0).route()).isEqualTo("onChat");
        assertThat(annPushes.get(0).json()).isEqualTo(json("{\"from\":\"bob\",\"text\":\"hi\"}"));

        // He leaves as quietly: Ann hears nothing of it, but of what is said after it.
        assertThat(answer(bob.request("demo.room.leave", json("{}"))).json()).isEqualTo(json("{\"code\":200}"));
        ann.notify("demo.room.say", json("{\"text\":\"anyone?\"}"));
        await().atMost(WAIT).until(() -> annPushes.size() == 2);
        assertThat(annPushes.get(1).route()).isEqualTo("onChat");
        assertThat(annPushes.get(1).json()).isEqualTo(json("{\"from\":\"ann\",\"text\":\"anyone?\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void closingLeavesTheRoom(String scheme) throws Exception {
        start(GateConfig.builder());
        SwitchboardClient ann = connect(scheme);
        SwitchboardClient bob = connect(scheme);
        List<Push> annPushes = new CopyOnWriteArrayList<>();
        ann.onPush("onLeave", annPushes::add);
        answer(ann.request("demo.room.join", json("{\"room\":\"r2\",\"name\":\"ann\"}")));
        answer(bob.request("demo.room.join", json("{\"room\":\"r2\",\"name\":\"bob\"}")));
        bob.close().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> annPushes.size() == 1);
        assertThat(annPushes.get(0).json()).isEqualTo(json("{\"name\":\"bob\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void errorsAreCodesNotTraces(String scheme) throws Exception {
        start(GateConfig.builder());
        SwitchboardClient client = connect(scheme);
        Response unknown = answer(client.request("demo.nope.nope", json("{}")));
        assertThat(unknown.isError()).isTrue();
        assertThat(unknown.errorCode()).isEqualTo(HandlerErrors.ROUTE_NOT_FOUND.code());
        assertThat(unknown.errorMessage()).contains("demo.nope.nope");

        Response badJoin = answer(client.request("demo.room.join", json("{\"room\":5}")));
        assertThat(badJoin.errorCode()).isEqualTo(DemoErrors.BAD_JOIN.code());

        Response notJson = answer(client.request("demo.echo.say", "{not json".getBytes()));
        assertThat(notJson.errorCode()).isEqualTo(HandlerErrors.BAD_BODY.code());
        assertThat(notJson.errorMessage()).doesNotContain("Exception").doesNotContain("at io.");

        Response notifyOnly = answer(client.request("demo.echo.tell", json("{}")));
        assertThat(notifyOnly.errorCode()).isEqualTo(HandlerErrors.NOT_A_REQUEST.code());

        // The connection is still good after all of that.
        assertThat(answer(client.request("demo.echo.say", json("1"))).json()).isEqualTo(json("1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void kickReachesTheClientWithItsReason(String scheme) throws Exception {
        start(GateConfig.builder());
        SwitchboardClient client = connect(scheme);
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        client.onClose(reasons::add);
        await().atMost(WAIT).until(() -> server.server().gate().channels().size() == 1);
        long id = server.server().gate().channels().all().iterator().next().id();
        assertThat(server.server().gate().kick(id, "go away")).isTrue();
        await().atMost(WAIT).until(() -> reasons.size() == 1);
        assertThat(reasons.get(0)).isEqualTo(CloseReason.kicked("go away"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void oversizedBodyKicksThatClientOnly(String scheme) throws Exception {
        start(GateConfig.builder().maxBodyLength(1024));
        SwitchboardClient big = connect(scheme);
        SwitchboardClient small = connect(scheme);
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        big.onClose(reasons::add);
        CompletableFuture<Response> refused = big.request("demo.echo.say", new byte[4096]);
        await().atMost(WAIT).until(() -> reasons.size() == 1);
        assertThat(reasons.get(0).kind()).isIn(CloseReason.Kind.KICKED, CloseReason.Kind.CONNECTION_CLOSED);
        if (reasons.get(0).kind() == CloseReason.Kind.KICKED) {
            assertThat(reasons.get(0).message()).contains("too large");
        }
        await().atMost(WAIT).until(refused::isDone);
        assertThat(refused).isCompletedExceptionally();
        assertThat(answer(small.request("demo.echo.say", json("{\"still\":\"here\"}"))).json())
                .isEqualTo(json("{\"still\":\"here\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void silentClientIsKickedAfterTwiceTheHeartbeat(String scheme) throws Exception {
        ManualTicker serverClock = new ManualTicker();
        start(GateConfig.builder().heartbeat(Duration.ofSeconds(5)).ticker(serverClock)
                .heartbeatCheckInterval(Duration.ofMillis(20)));
        // The client's own clock never moves, so it never sends a heartbeat: it is silent.
        SwitchboardClient client = connect(SwitchboardClient.builder(
                URI.create(scheme + "://127.0.0.1:" + server.port())).ticker(new ManualTicker()).build());
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        client.onClose(reasons::add);
        assertThat(client.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        // Move the clock only once the server has read the ack, or the ack itself would count as fresh life.
        await().atMost(WAIT).until(() -> server.server().gate().channels().size() == 1);
        serverClock.advance(Duration.ofSeconds(10).plusMillis(1));
        await().atMost(WAIT).until(() -> reasons.size() == 1);
        assertThat(reasons.get(0)).isEqualTo(CloseReason.kicked(KickReasons.HEARTBEAT_TIMEOUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void compressedBodiesForClientsThatAsk(String scheme) throws Exception {
        start(GateConfig.builder());
        SwitchboardClient client = connect(SwitchboardClient.builder(
                URI.create(scheme + "://127.0.0.1:" + server.port()))
                .sys("compress", com.fasterxml.jackson.databind.node.BooleanNode.TRUE).build());
        assertThat(client.handshakeResponse().at("/sys/compress").asText()).isEqualTo("zlib");
        String text = "x".repeat(2000);
        Response response = answer(client.request("demo.echo.say", json("{\"t\":\"" + text + "\"}")));
        assertThat(response.json().get("t").asText()).isEqualTo(text);
        // On the workers the answers of a burst leave together, each compressed (over WebSocket, each in its frame).
        List<CompletableFuture<Response>> onWorkers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            onWorkers.add(client.request("demo.echo.sayOnWorkers", json("{\"t\":\"" + text + i + "\"}")));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(answer(onWorkers.get(i)).json().get("t").asText()).isEqualTo(text + i);
        }
    }

    /** A client whose connection the test can pull out from under it. */
    private record Member(SwitchboardClient client, AtomicReference<Channel> channel, List<Push> pushes) {
        /** Closes the socket on its event loop, past the pipeline: no close frame, no goodbye of any kind. */
        void vanish() {
            Channel ch = channel.get();
            ch.eventLoop().execute(() -> ch.unsafe().close(ch.voidPromise()));
        }

        JsonNode session() {
            return client.handshakeResponse().path("sys").path("session");
        }
    }

    private Member member(String scheme, JsonNode user) throws Exception {
        Dialer base = scheme.equals("ws") ? WebSocketDialer.INSTANCE : TcpDialer.INSTANCE;
        AtomicReference<Channel> channel = new AtomicReference<>();
        SwitchboardClient client = SwitchboardClient.builder(URI.create(scheme + "://127.0.0.1:" + server.port()))
                .user(user)
                .dialer(context -> base.dial(context).thenApply(ch -> {
                    channel.set(ch);
                    return ch;
                }))
                .build();
        List<Push> pushes = new CopyOnWriteArrayList<>();
        client.onPush(pushes::add);
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return new Member(client, channel, pushes);
    }

    private static long count(List<Push> pushes, String route) {
        return pushes.stream().filter(p -> p.route().equals(route)).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aMemberThatDropsResumesWithTheChatItMissedAndLeavesOnceWhenTheGraceEnds(String scheme) throws Exception {
        ManualTicker ticker = new ManualTicker();
        start(GateConfig.builder().ticker(ticker).resumeGrace(RESUME_GRACE)
                .heartbeatCheckInterval(Duration.ofMillis(20)));
        Member ann = member(scheme, null);
        Member bob = member(scheme, null);
        Response joined = ann.client().request("demo.room.join", json("{\"room\":\"r\",\"name\":\"ann\"}"))
                .get(10, TimeUnit.SECONDS);
        assertThat(joined.isError()).isFalse();
        bob.client().request("demo.room.join", json("{\"room\":\"r\",\"name\":\"bob\"}")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> count(ann.pushes(), DemoRooms.ON_JOIN) == 1);

        ann.vanish();
        await().atMost(WAIT).until(() -> server.server().gate().parkedSessions() == 1);
        for (int n = 1; n <= MISSED_CHATS; n++) {
            bob.client().notify("demo.room.say", json("{\"text\":\"m" + n + "\"}"));
        }
        await().atMost(WAIT).until(() -> count(bob.pushes(), DemoRooms.ON_CHAT) == MISSED_CHATS);

        Member back = member(scheme, Json.MAPPER.createObjectNode()
                .put("resume", ann.session().path("resume").asText()).put("received", ann.pushes().size()));
        assertThat(back.session().path("resumed").asBoolean()).isTrue();
        assertThat(back.session().path("id")).isEqualTo(ann.session().path("id"));
        await().atMost(WAIT).until(() -> back.pushes().size() == MISSED_CHATS);
        for (int n = 1; n <= MISSED_CHATS; n++) {
            Push chat = back.pushes().get(n - 1);
            assertThat(chat.route()).isEqualTo(DemoRooms.ON_CHAT);
            assertThat(chat.json()).isEqualTo(json("{\"from\":\"bob\",\"text\":\"m" + n + "\"}"));
        }
        // Still in the room, without rejoining: what it says reaches bob, and bob never saw it leave.
        back.client().notify("demo.room.say", json("{\"text\":\"back\"}"));
        await().atMost(WAIT).until(() -> count(bob.pushes(), DemoRooms.ON_CHAT) == MISSED_CHATS + 1);
        assertThat(count(bob.pushes(), DemoRooms.ON_LEAVE)).isZero();

        back.vanish();
        await().atMost(WAIT).until(() -> server.server().gate().parkedSessions() == 1);
        ticker.advance(RESUME_GRACE.plusSeconds(1));
        await().atMost(WAIT).until(() -> count(bob.pushes(), DemoRooms.ON_LEAVE) == 1);
        bob.client().notify("demo.room.say", json("{\"text\":\"anyone?\"}"));
        await().atMost(WAIT).until(() -> count(bob.pushes(), DemoRooms.ON_CHAT) == MISSED_CHATS + 2);
        assertThat(count(bob.pushes(), DemoRooms.ON_LEAVE)).isEqualTo(1);
        assertThat(bob.pushes().stream().filter(p -> p.route().equals(DemoRooms.ON_LEAVE)).findFirst().orElseThrow()
                .json()).isEqualTo(json("{\"name\":\"ann\"}"));
        assertThat(server.server().gate().parkedSessions()).isZero();
    }
}
