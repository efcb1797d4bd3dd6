package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.switchboard.client.internal.PomeloClientHandler;
import io.switchboard.client.testserver.TestServer;
import io.switchboard.client.testserver.TestServer.Transport;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The client against a real server over TCP and WebSocket: handshake, requests, pushes, kicks, liveness. */
@Timeout(value = 30, unit = SECONDS)
class SwitchboardClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<TestServer> servers = new ArrayList<>();
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(client -> assertThat(client.close()).succeedsWithin(WAIT));
        servers.forEach(TestServer::close);
    }

    private TestServer server(Transport transport) throws Exception {
        TestServer server = new TestServer(transport);
        servers.add(server);
        return server;
    }

    /** A builder with a fast tick, so deadlines driven by a ManualTicker are noticed at once. */
    private SwitchboardClientBuilder builder(TestServer server) {
        return SwitchboardClient.builder(server.uri()).tickInterval(Duration.ofMillis(10));
    }

    private SwitchboardClient connected(SwitchboardClientBuilder builder) {
        SwitchboardClient client = builder.build();
        clients.add(client);
        assertThat(client.connect()).succeedsWithin(WAIT);
        return client;
    }

    private static JsonNode json(String text) throws IOException {
        return Json.MAPPER.readTree(text);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThat(future).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).actual().getCause();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void handshakesThenAcknowledgesAndEchoes(Transport transport) throws Exception {
        TestServer server = server(transport);
        SwitchboardClient client = connected(builder(server)
                .user(json("{\"token\":\"t1\"}"))
                .sys("platform", TextNode.valueOf("test")));

        assertThat(client.isConnected()).isTrue();
        JsonNode handshake = server.handshakes().get(0);
        assertThat(handshake.path("sys").path("type").asText()).isEqualTo("java");
        assertThat(handshake.path("sys").path("version").asText()).isEqualTo("0.1.0");
        assertThat(handshake.path("sys").path("platform").asText()).isEqualTo("test");
        assertThat(handshake.path("user").path("token").asText()).isEqualTo("t1");
        await().atMost(WAIT).until(() -> server.events().contains("ack"));
        assertThat(client.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(client.routeDictionary()).isEqualTo(TestServer.DICTIONARY.routeToCode());

        Response response = client.request("echo.hi", json("{\"a\":1}")).get(5, SECONDS);

        assertThat(response.isError()).isFalse();
        assertThat(response.id()).isEqualTo(1);
        assertThat(response.json()).isEqualTo(json("{\"a\":1}"));
        assertThat(server.events()).containsSubsequence("handshake", "ack", "request 1 echo.hi {\"a\":1}");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void requestIdsAreVarintsCountingFromOne(Transport transport) throws Exception {
        TestServer server = server(transport);
        SwitchboardClient client = connected(builder(server));

        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 1; i <= 130; i++) {
            answers.add(client.request("other.route", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }

        for (int i = 1; i <= 130; i++) {
            Response response = answers.get(i - 1).get(5, SECONDS);
            assertThat(response.id()).isEqualTo(i);
            assertThat(response.bodyAsString()).isEqualTo("{\"n\":" + i + "}");
        }
        assertThat(server.events()).contains("request 129 other.route {\"n\":129}");
    }

    @Test
    void compressesRoutesThatAreInTheDictionary() throws Exception {
        TestServer server = server(Transport.TCP);
        SwitchboardClient client = connected(builder(server));

        client.request("echo.hi", json("{}")).get(5, SECONDS);
        client.request("not.in.dictionary", json("{}")).get(5, SECONDS);

        assertThat(server.dataFlags()).hasSize(2);
        assertThat(server.dataFlags().get(0) & MessageFlags.ROUTE_COMPRESSED).isEqualTo(MessageFlags.ROUTE_COMPRESSED);
        assertThat(server.dataFlags().get(1) & MessageFlags.ROUTE_COMPRESSED).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void errorResponseCarriesCodeAndMessage(Transport transport) throws Exception {
        TestServer server = server(transport);
        SwitchboardClient client = connected(builder(server));

        Response response = client.request("error.fail", json("{}")).get(5, SECONDS);

        assertThat(response.isError()).isTrue();
        assertThat(response.errorCode()).isEqualTo(TestServer.ERROR_CODE);
        assertThat(response.errorMessage()).isEqualTo("boom");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void pushesReachRouteAndCatchAllListeners(Transport transport) throws Exception {
        TestServer server = server(transport);
        List<String> onRoute = new CopyOnWriteArrayList<>();
        List<String> onAny = new CopyOnWriteArrayList<>();
        SwitchboardClient client = builder(server).build();
        clients.add(client);
        client.onPush("room.news", push -> onRoute.add(push.json().toString()))
                .onPush(push -> onAny.add(push.route() + " " + push.bodyAsString()));
        assertThat(client.connect()).succeedsWithin(WAIT);

        // room.news is in the dictionary: the server sends it as a route code.
        client.request("push.me", json("{\"n\":1}")).get(5, SECONDS);
        client.notify("push.me", json("{\"n\":2}")).get(5, SECONDS);
        // The notify's future completes once it is sent; wait for its push before the server pushes on its own.
        await().atMost(WAIT).until(() -> onAny.size() == 2);
        server.push("not.in.dictionary", "{\"n\":3}");

        await().atMost(WAIT).until(() -> onAny.size() == 3);
        assertThat(onRoute).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(onAny).containsExactly("room.news {\"n\":1}", "room.news {\"n\":2}", "not.in.dictionary {\"n\":3}");
        assertThat(server.events()).contains("notify push.me {\"n\":2}");
    }

    @Test
    void decodesZlibBodiesWhenItAskedForCompression() throws Exception {
        TestServer server = server(Transport.TCP);
        List<String> pushes = new CopyOnWriteArrayList<>();
        SwitchboardClient client = builder(server).sys("compress", BooleanNode.TRUE).build();
        clients.add(client);
        client.onPush(push -> pushes.add(push.bodyAsString()));
        assertThat(client.connect()).succeedsWithin(WAIT);
        String big = "{\"text\":\"" + "abc".repeat(1000) + "\"}";

        Response response = client.request("echo.hi", big.getBytes(StandardCharsets.UTF_8)).get(5, SECONDS);
        server.push("room.news", big);

        assertThat(response.bodyAsString()).isEqualTo(big);
        await().atMost(WAIT).until(() -> pushes.size() == 1);
        assertThat(pushes).containsExactly(big);
        assertThat(server.handshakes().get(0).path("sys").path("compress").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void kickClosesWithTheServersReason(Transport transport) throws Exception {
        TestServer server = server(transport);
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        SwitchboardClient client = builder(server).build().onClose(reasons::add);
        clients.add(client);
        assertThat(client.connect()).succeedsWithin(WAIT);

        Throwable cause = failure(client.request("kick.me", json("{\"reason\":\"logged in elsewhere\"}")));

        assertThat(cause).isInstanceOf(ConnectionClosedException.class);
        assertThat(((ConnectionClosedException) cause).reason()).isEqualTo(CloseReason.kicked("logged in elsewhere"));
        await().atMost(WAIT).until(() -> !reasons.isEmpty());
        assertThat(reasons).containsExactly(CloseReason.kicked("logged in elsewhere"));
        assertThat(client.isConnected()).isFalse();
        assertThat(failure(client.request("echo.hi", json("{}")))).isInstanceOf(ConnectionClosedException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void droppedConnectionFailsPendingRequestsAtOnce(Transport transport) throws Exception {
        TestServer server = server(transport);
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        // The request timeout is far beyond the test's own bound: only the close can end these requests.
        SwitchboardClient client = connected(builder(server).requestTimeout(Duration.ofHours(1)));
        client.onClose(reasons::add);

        CompletableFuture<Response> silent = client.request("silent.wait", json("{}"));
        CompletableFuture<Response> dropped = client.request("drop.me", json("{}"));

        assertThat(failure(silent)).isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("connection closed");
        assertThat(failure(dropped)).isInstanceOf(ConnectionClosedException.class);
        await().atMost(WAIT).until(() -> !reasons.isEmpty());
        assertThat(reasons).containsExactly(CloseReason.CONNECTION_CLOSED);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void givesTheConnectionUpWhenTheServerStopsReadingInsteadOfBufferingWithoutBound(Transport transport)
            throws Exception {
        TestServer server = server(transport);
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        Dialer dialer = transport == Transport.WS ? WebSocketDialer.INSTANCE : TcpDialer.INSTANCE;
        SwitchboardClient client = connected(builder(server).maxPendingWriteBytes(256 * 1024).dialer(context -> {
            CompletableFuture<Channel> dial = dialer.dial(context);
            // A small, fixed send buffer: the kernel would otherwise take megabytes before the client holds any.
            dial.thenAccept(channel -> channel.config().setOption(ChannelOption.SO_SNDBUF, 8 * 1024));
            return dial;
        }));
        client.onClose(reasons::add);
        server.stopReading();

        // 64 MiB: far more than the socket buffers between the two hold, so most of it would wait in the client.
        byte[] body = new byte[64 * 1024];
        for (int i = 0; i < 1024 && reasons.isEmpty(); i++) {
            client.notify("echo.hi", body);
        }

        await().atMost(WAIT).until(() -> !reasons.isEmpty());
        assertThat(reasons.get(0).kind()).isEqualTo(CloseReason.Kind.CONNECTION_CLOSED);
        assertThat(reasons.get(0).message()).startsWith(PomeloClientHandler.SERVER_NOT_READING);
        assertThat(client.isConnected()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void unansweredRequestTimesOut(Transport transport) throws Exception {
        TestServer server = server(transport);
        ManualTicker ticker = new ManualTicker();
        SwitchboardClient client = connected(builder(server).ticker(ticker).requestTimeout(Duration.ofSeconds(10)));

        CompletableFuture<Response> answer = client.request("silent.wait", json("{}"));
        await().atMost(WAIT).until(() -> server.events().contains("request 1 silent.wait {}"));
        ticker.advance(Duration.ofSeconds(9));
        CompletableFuture<Response> echo = client.request("echo.hi", json("{}"));

        assertThat(echo).succeedsWithin(WAIT);
        assertThat(answer).isNotDone();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(failure(answer)).isInstanceOf(TimeoutException.class).hasMessageContaining("silent.wait");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void requestTimeoutRunsOnTheSystemClockByDefault() throws Exception {
        TestServer server = server(Transport.TCP);
        SwitchboardClient client = connected(builder(server).requestTimeout(Duration.ofMillis(200)));

        assertThat(failure(client.request("silent.wait", json("{}")))).isInstanceOf(TimeoutException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void sendsHeartbeatsAndStaysUpWhileTheServerAnswers(Transport transport) throws Exception {
        TestServer server = server(transport).heartbeatSeconds(1);
        ManualTicker ticker = new ManualTicker();
        SwitchboardClient client = connected(builder(server).ticker(ticker));
        await().atMost(WAIT).until(() -> server.events().contains("ack"));

        for (int beat = 1; beat <= 4; beat++) {
            ticker.advance(Duration.ofSeconds(1));
            long expected = beat;
            await().atMost(WAIT).until(() -> server.count("heartbeat") == expected);
        }

        assertThat(client.isConnected()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void closesWhenTheServerGoesSilent(Transport transport) throws Exception {
        TestServer server = server(transport).heartbeatSeconds(1).answerHeartbeats(false);
        ManualTicker ticker = new ManualTicker();
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        SwitchboardClient client = connected(builder(server).ticker(ticker).requestTimeout(Duration.ofHours(1)));
        client.onClose(reasons::add);
        CompletableFuture<Response> pending = client.request("silent.wait", json("{}"));
        await().atMost(WAIT).until(() -> server.events().contains("request 1 silent.wait {}"));

        ticker.advance(Duration.ofSeconds(2));
        await().atMost(WAIT).until(() -> server.count("heartbeat") >= 1);
        assertThat(client.isConnected()).isTrue();
        ticker.advance(Duration.ofMillis(1));

        await().atMost(WAIT).until(() -> !reasons.isEmpty());
        assertThat(reasons).containsExactly(CloseReason.HEARTBEAT_TIMEOUT);
        assertThat(reasons.get(0).message()).isEqualTo("heartbeat timeout");
        assertThat(failure(pending)).isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("heartbeat timeout");
    }

    @Test
    void noHeartbeatsWhenTheServerAsksForNone() throws Exception {
        TestServer server = server(Transport.TCP).heartbeatSeconds(0).answerHeartbeats(false);
        ManualTicker ticker = new ManualTicker();
        SwitchboardClient client = connected(builder(server).ticker(ticker).requestTimeout(Duration.ofSeconds(1)));
        CompletableFuture<Response> silent = client.request("silent.wait", json("{}"));
        await().atMost(WAIT).until(() -> server.events().contains("request 1 silent.wait {}"));

        ticker.advance(Duration.ofHours(1));

        // The timeout proves a tick ran an hour of silence later; it neither sent a heartbeat nor closed.
        assertThat(failure(silent)).isInstanceOf(TimeoutException.class);
        assertThat(client.request("echo.hi", json("{}"))).succeedsWithin(WAIT);
        assertThat(server.count("heartbeat")).isZero();
        assertThat(client.isConnected()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void refusedHandshakeFailsConnectWithItsCode(Transport transport) throws Exception {
        for (int code : new int[] {HandshakeResponse.CODE_BAD_HANDSHAKE, HandshakeResponse.CODE_OLD_CLIENT}) {
            TestServer server = server(transport).handshakeAnswer(request -> HandshakeResponse.refused(code));
            SwitchboardClient client = builder(server).build();
            clients.add(client);

            Throwable cause = failure(client.connect());

            assertThat(cause).isInstanceOf(HandshakeRefusedException.class);
            assertThat(((HandshakeRefusedException) cause).code()).isEqualTo(code);
            assertThat(client.isConnected()).isFalse();
            assertThat(server.events()).doesNotContain("ack");
        }
    }

    @Test
    void unansweredHandshakeTimesOut() throws Exception {
        TestServer server = server(Transport.TCP).answerHandshake(false);
        ManualTicker ticker = new ManualTicker();
        SwitchboardClient client = builder(server).ticker(ticker).connectTimeout(Duration.ofSeconds(5)).build();
        clients.add(client);

        CompletableFuture<Void> connect = client.connect();
        await().atMost(WAIT).until(() -> server.events().contains("handshake"));
        ticker.advance(Duration.ofSeconds(5));

        assertThat(failure(connect)).isInstanceOf(TimeoutException.class).hasMessageContaining("handshake");
    }

    @Test
    void connectFailsWhenNobodyListens() throws Exception {
        TestServer server = server(Transport.TCP);
        SwitchboardClientBuilder builder = builder(server);
        server.close();
        SwitchboardClient client = builder.build();
        clients.add(client);

        assertThat(failure(client.connect())).isInstanceOf(IOException.class);
    }

    @Test
    void webSocketUpgradeRefusedFailsConnect() throws Exception {
        // A raw TCP Pomelo server does not speak HTTP: it closes on the upgrade request's bytes.
        TestServer server = server(Transport.TCP);
        SwitchboardClient client = SwitchboardClient.builder(URI.create("ws://localhost:" + server.uri().getPort()))
                .connectTimeout(Duration.ofSeconds(3)).build();
        clients.add(client);

        assertThat(failure(client.connect())).isInstanceOf(WebSocketHandshakeException.class)
                .hasMessageContaining("closed during the WebSocket upgrade");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void closeFailsPendingRequestsAndTellsListeners(Transport transport) throws Exception {
        TestServer server = server(transport);
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        SwitchboardClient client = connected(builder(server).requestTimeout(Duration.ofHours(1)));
        client.onClose(reasons::add);
        CompletableFuture<Response> pending = client.request("silent.wait", json("{}"));
        await().atMost(WAIT).until(() -> server.events().contains("request 1 silent.wait {}"));

        assertThat(client.close()).succeedsWithin(WAIT);

        assertThat(pending).isCompletedExceptionally();
        assertThat(failure(pending)).isInstanceOf(ConnectionClosedException.class);
        assertThat(reasons).containsExactly(CloseReason.CLOSED_BY_CLIENT);
        assertThat(failure(client.notify("echo.hi", json("{}")))).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void callsBeforeConnectFailInsteadOfHanging() throws Exception {
        TestServer server = server(Transport.TCP);
        SwitchboardClient client = builder(server).build();
        clients.add(client);

        assertThat(failure(client.request("echo.hi", json("{}")))).isInstanceOf(ConnectionClosedException.class)
                .hasMessageContaining("not connected");
        assertThatThrownBy(() -> client.request("", json("{}"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(client.close()).succeedsWithin(WAIT);
        assertThat(failure(client.connect())).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void usesAKnownDictionaryWhenTheServerLeavesItOut() throws Exception {
        TestServer server = server(Transport.TCP);
        SwitchboardClient first = connected(builder(server));
        List<String> pushes = new CopyOnWriteArrayList<>();

        SwitchboardClient second = builder(server)
                .routeDictionary(first.routeDictionaryVersion(), first.routeDictionary()).build();
        clients.add(second);
        second.onPush(push -> pushes.add(push.route()));
        assertThat(second.connect()).succeedsWithin(WAIT);
        first.close().join();

        assertThat(server.handshakes().get(1).path("sys").path("dictVersion").asText())
                .isEqualTo(TestServer.DICTIONARY.version());
        assertThat(second.handshakeResponse().path("sys").has("dict")).isFalse();
        server.push("room.news", "{}");
        second.request("echo.hi", json("{}")).get(5, SECONDS);

        await().atMost(WAIT).until(() -> pushes.size() == 1);
        assertThat(pushes).containsExactly("room.news");
        assertThat(server.dataFlags().get(server.dataFlags().size() - 1) & MessageFlags.ROUTE_COMPRESSED)
                .isEqualTo(MessageFlags.ROUTE_COMPRESSED);
    }

    @Test
    void readsRouteCodesOfADictionaryNumberedFreely() throws Exception {
        // Pomelo numbers routes in file order: here "b.route" has 60 and "a.route" 61, which no
        // RouteDictionary.of can express; the client must still read compressed routes.
        TestServer server = server(Transport.TCP).handshakeAnswer(request ->
                "{\"code\":200,\"sys\":{\"heartbeat\":30,\"dict\":{\"b.route\":60,\"a.route\":61}}}"
                        .getBytes(StandardCharsets.UTF_8));
        List<String> pushes = new CopyOnWriteArrayList<>();
        SwitchboardClient client = builder(server).build();
        clients.add(client);
        client.onPush(push -> pushes.add(push.route() + " " + push.bodyAsString()));
        assertThat(client.connect()).succeedsWithin(WAIT);

        // Push, route code 61 (0x3d), body "{}": [04][00 00 05][07][00 3d][7b 7d].
        server.sendRaw(new byte[] {4, 0, 0, 5, 0x07, 0x00, 0x3d, '{', '}'});
        client.request("a.route", json("{}")).get(5, SECONDS);

        await().atMost(WAIT).until(() -> pushes.size() == 1);
        assertThat(pushes).containsExactly("a.route {}");
        // Requests go out with route strings, which every server reads.
        assertThat(server.events()).contains("request 1 a.route {}");
        assertThat(server.dataFlags().get(0) & MessageFlags.ROUTE_COMPRESSED).isZero();
    }
}
