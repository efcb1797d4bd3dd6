package io.switchboard.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.Handlers;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.kim.BasicPacket;
import io.switchboard.protocol.kim.KimGoldenBytes;
import io.switchboard.protocol.kim.KimOpCode;
import io.switchboard.protocol.kim.KimTestClient;
import io.switchboard.protocol.kim.LogicPacket;
import io.switchboard.protocol.kim.proto.ErrorResp;
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.LoginResp;
import io.switchboard.protocol.kim.proto.Meta;
import io.switchboard.protocol.kim.proto.Status;
import io.switchboard.server.StandaloneServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.switchboard.protocol.kim.KimGoldenBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** KIM clients (seed 002) on the gate's client port, over TCP and WebSocket: login, echo, heartbeats, bad input. */
class KimGateTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    private final ManualTicker ticker = new ManualTicker();
    private final List<KimTestClient> clients = new ArrayList<>();
    private StandaloneServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (KimTestClient c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(Acceptor acceptor) throws Exception {
        server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0).ticker(ticker)
                        .heartbeat(HEARTBEAT).handshakeTimeout(HANDSHAKE_TIMEOUT)
                        .heartbeatCheckInterval(Duration.ofMillis(20)).maxBodyLength(1024).maxHandshakeLength(256))
                .handlers(new Handlers().request("t.e.echo", ctx -> ctx.body(JsonNode.class)))
                .acceptor(acceptor).adminPort(-1).build().start();
    }

    private void start() throws Exception {
        start(info -> CompletableFuture.completedFuture(Acceptance.accept(
                "u-" + info.handshake().user().path("token").asText())));
    }

    private KimTestClient connect(String transport) throws Exception {
        KimTestClient client = transport.equals("tcp") ? KimTestClient.tcp(server.port())
                : KimTestClient.webSocket(URI.create("ws://127.0.0.1:" + server.port() + "/"));
        clients.add(client);
        return client;
    }

    private KimTestClient loggedIn(String transport) throws Exception {
        KimTestClient client = connect(transport);
        assertThat(client.login("t").header().getStatus()).isEqualTo(Status.Success);
        return client;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A client on the same gate is still served: bad input closed only the connection that sent it. */
    private void stillServed(KimTestClient other) throws Exception {
        int seq = other.request("t.e.echo", utf8("{\"still\":true}"));
        LogicPacket answer = other.nextLogic();
        assertThat(answer.sequence()).isEqualTo(seq);
        assertThat(answer.header().getStatus()).isEqualTo(Status.Success);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void logsInThroughTheAcceptorAndEchoes(String transport) throws Exception {
        start();
        KimTestClient client = connect(transport);
        LogicPacket login = client.login("ann");
        assertThat(login.command()).isEqualTo(LogicPacket.LOGIN_SIGN_IN);
        assertThat(login.header().getFlag()).isEqualTo(Flag.Response);
        LoginResp resp = LoginResp.parseFrom(login.body());
        assertThat(resp.getAccount()).isEqualTo("u-ann");
        assertThat(resp.getChannelId()).isNotEmpty();
        assertThat(server.gate().channels().get(Long.parseLong(resp.getChannelId())).userId()).isEqualTo("u-ann");

        int seq = client.request("t.e.echo", utf8("{\"hello\":\"kim\"}"));
        LogicPacket echo = client.nextLogic();
        assertThat(echo.sequence()).isEqualTo(seq);
        assertThat(echo.command()).isEqualTo("t.e.echo");
        assertThat(echo.header().getFlag()).isEqualTo(Flag.Response);
        assertThat(echo.header().getStatus()).isEqualTo(Status.Success);
        assertThat(Json.MAPPER.readTree(echo.body())).isEqualTo(Json.MAPPER.readTree("{\"hello\":\"kim\"}"));
    }

    @Test
    void pingsAreAnsweredOnBothLevels() throws Exception {
        start();
        KimTestClient client = loggedIn("tcp");
        client.sendRaw(KimGoldenBytes.TCP_FRAME_PING);
        assertThat(client.next()).isEqualTo(BasicPacket.PONG);
        ticker.advance(HEARTBEAT); // answers are spaced by the interval
        client.sendRaw(KimGoldenBytes.TCP_OP_PING);
        assertThat(client.next()).isEqualTo(KimOpCode.PONG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aSilentClientIsClosedAfterTwoIntervals(String transport) throws Exception {
        start();
        KimTestClient client = loggedIn(transport);
        ticker.advance(HEARTBEAT.multipliedBy(2).plusSeconds(1));
        // Seen from the gate: over WebSocket the close waits for the client's close frame (or Netty's timeout).
        await().until(() -> server.gate().metrics().kicks(KickCode.HEARTBEAT_TIMEOUT) == 1);
    }

    @Test
    void pingsDoNotStandInForALogin() throws Exception {
        start();
        KimTestClient client = connect("tcp");
        client.sendRaw(KimGoldenBytes.TCP_FRAME_PING);
        client.sendRaw(KimGoldenBytes.TCP_OP_PING);
        await().until(() -> server.gate().metrics().activeConnections() == 1); // its deadline runs from here
        ticker.advance(HANDSHAKE_TIMEOUT.plusSeconds(1));
        client.awaitClosed();
        assertThat(server.gate().metrics().kicks(KickCode.HANDSHAKE_TIMEOUT)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aRefusedLoginIsUnauthorizedAndClosed(String transport) throws Exception {
        start(info -> CompletableFuture.completedFuture(Acceptance.refuse(500)));
        KimTestClient client = connect(transport);
        assertThat(client.login("bad").header().getStatus()).isEqualTo(Status.Unauthorized);
        client.awaitClosed();
        assertThat(server.gate().metrics().kicks(KickCode.HANDSHAKE_REFUSED)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void anythingButALoginFirstIsInvalidCommand(String transport) throws Exception {
        start();
        KimTestClient other = loggedIn(transport);
        KimTestClient client = connect(transport);
        client.request("t.e.echo", utf8("{}"));
        assertThat(client.nextLogic().header().getStatus()).isEqualTo(Status.InvalidCommand);
        client.awaitClosed();
        stillServed(other);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void anUnknownCommandIsAnsweredThenClosed(String transport) throws Exception {
        start();
        KimTestClient other = loggedIn(transport);
        KimTestClient client = loggedIn(transport);
        int seq = client.request("no.such.route", utf8("{}"));
        LogicPacket answer = client.nextLogic();
        assertThat(answer.sequence()).isEqualTo(seq);
        assertThat(answer.header().getStatus()).isEqualTo(Status.InvalidCommand);
        assertThat(answer.header().getMetaList()).contains(Meta.newBuilder().setKey("code")
                .setValue(Long.toString(HandlerErrors.ROUTE_NOT_FOUND.code()))
                .setType(io.switchboard.protocol.kim.proto.MetaType.META_INT).build());
        assertThat(ErrorResp.parseFrom(answer.body()).getMessage()).isNotEmpty();
        client.awaitClosed();
        assertThat(server.gate().metrics().kicks(KickCode.BAD_PACKAGE)).isEqualTo(1);
        stillServed(other);
    }

    @Test
    void aBadBodyIsInvalidPacketBodyAndTheConnectionStays() throws Exception {
        start();
        KimTestClient client = loggedIn("tcp");
        client.request("t.e.echo", utf8("not json"));
        assertThat(client.nextLogic().header().getStatus()).isEqualTo(Status.InvalidPacketBody);
        stillServed(client);
    }

    /** Packets that break KIM's wire, sent after a good login; each closes its connection and no other. */
    @ParameterizedTest
    @ValueSource(strings = {
            "c311a366 00000000 00000000", // bad magic
            "c311a365 01010000", // header of 257 bytes, over the 256-byte cap (the handshake cap)
            "c311a365 00000000 01040000", // body over the 1024-byte cap
            "c311a365 02000000 0000 00000000", // header that is not protobuf
            "c311a365 02000000 2002 00000000", // a push from a client
    })
    void malformedPacketsCloseOnlyTheirConnection(String packet) throws Exception {
        for (String transport : List.of("tcp", "ws")) {
            start();
            KimTestClient other = loggedIn(transport);
            KimTestClient client = loggedIn(transport);
            byte[] bytes = hex(packet);
            client.sendRaw(transport.equals("tcp") ? KimGoldenBytes.tcpFrame(bytes) : bytes);
            client.awaitClosed();
            stillServed(other);
            await().until(() -> server.gate().metrics().activeConnections() == 1);
            server.close();
            server = null;
        }
    }

    @Test
    void badTcpFramesCloseOnlyTheirConnection() throws Exception {
        start();
        KimTestClient other = loggedIn("tcp");
        for (String frame : List.of("01 00000000", "ff 00000000", "02 ffffff7f")) {
            KimTestClient client = loggedIn("tcp");
            client.sendRaw(hex(frame));
            client.awaitClosed();
        }
        stillServed(other);
        assertThat(server.gate().metrics().kicks(KickCode.BAD_FRAME)).isEqualTo(3);
    }
}
