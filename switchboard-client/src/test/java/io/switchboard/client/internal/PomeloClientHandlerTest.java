package io.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.client.CloseReason;
import io.switchboard.client.ConnectionClosedException;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's bytes on the wire, checked against DESIGN §3, with an EmbeddedChannel and a ManualTicker. */
class PomeloClientHandlerTest {
    private static final Duration TICK = Duration.ofMillis(10);
    private static final RouteDictionary DICTIONARY = RouteDictionary.of(Map.of(), Set.of("chat.push", "room.join"));

    private final ManualTicker ticker = new ManualTicker();
    private final ClientListeners listeners = new ClientListeners();
    private final List<Push> pushes = new ArrayList<>();
    private final List<CloseReason> closes = new ArrayList<>();
    private PomeloClientHandler handler;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        listeners.addPushListener(pushes::add);
        listeners.addCloseListener(closes::add);
        start(null, ClientSettings.DEFAULT_MAX_BODY_LENGTH);
    }

    /** A connection of a client whose handshake carries {@code sys} and which reads bodies up to {@code maxBody}. */
    private void start(ObjectNode sys, int maxBody) {
        ClientSettings settings = new ClientSettings(Json.MAPPER.createObjectNode().put("name", "ann"), sys,
                Duration.ofSeconds(10), Duration.ofSeconds(10), TICK, ticker, null, maxBody,
                ClientSettings.DEFAULT_MAX_PENDING_WRITE_BYTES);
        handler = new PomeloClientHandler(settings, listeners);
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new ClientChannelInitializer(settings, handler));
    }

    /** A push data package on route {@code chat.push} whose body is zlib-compressed (flag 0x10). */
    private static ByteBuf compressedPush(byte[] body) {
        PomeloMessage push = PomeloMessage.push("chat.push", Unpooled.wrappedBuffer(body));
        try {
            return PomeloMessageCodec.encodePackage(UnpooledByteBufAllocator.DEFAULT, push, null, true);
        } finally {
            push.release();
        }
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private String nextOutbound() {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("an outbound package").isNotNull();
        try {
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    private void receive(String hex) {
        receive(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    private void receivePackage(int type, byte[] body) {
        receive(Unpooled.buffer().writeByte(type).writeMedium(body.length).writeBytes(body));
    }

    /** Delivers bytes, then runs what they queued (a close completes in a later task). */
    private void receive(ByteBuf bytes) {
        channel.writeInbound(bytes);
        channel.runPendingTasks();
    }

    /** Lets the event loop run its queued tasks and any tick that is due after {@code elapsed}. */
    private void tick(Duration elapsed) {
        ticker.advance(elapsed);
        channel.advanceTimeBy(TICK.toNanos(), TimeUnit.NANOSECONDS);
        channel.runPendingTasks();
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private void handshake(int heartbeatSeconds) throws Exception {
        String hello = nextOutbound();
        assertThat(hello).startsWith("01");
        JsonNode body = Json.MAPPER.readTree(HexFormat.of().parseHex(hello.substring(8)));
        assertThat(body.path("sys").path("type").asText()).isEqualTo("java");
        assertThat(body.path("user").path("name").asText()).isEqualTo("ann");
        receivePackage(1, HandshakeResponse.accepted(heartbeatSeconds, DICTIONARY, true, "json", false, null));
        assertThat(nextOutbound()).isEqualTo("02000000");
        assertThat(handler.handshakeFuture()).isCompleted();
    }

    @Test
    void handshakeAckThenRequestsWithVarintIdsAndCompressedRoutes() throws Exception {
        handshake(30);

        CompletableFuture<Response> first = handler.request("a", new byte[0]);
        channel.runPendingTasks();
        // Data package of request id 1, route "a", empty body: 00 01 01 61 (DESIGN §3).
        assertThat(nextOutbound()).isEqualTo("04000004" + "00010161");
        handler.request("room.join", "{}".getBytes(StandardCharsets.UTF_8));
        channel.runPendingTasks();
        // Request id 2, route code 51 compressed (flag 0x01), body {}.
        assertThat(nextOutbound()).isEqualTo("04000006" + "0102" + "0033" + "7b7d");

        receive("04 00 00 04 04 01 7b 7d");
        assertThat(first).isCompleted();
        assertThat(first.join().bodyAsString()).isEqualTo("{}");
    }

    @Test
    void notifyHasNoId() throws Exception {
        handshake(30);

        handler.notify("a", new byte[0]);
        channel.runPendingTasks();

        assertThat(nextOutbound()).isEqualTo("04000003" + "020161");
    }

    @Test
    void decodesCompressedPushRoutesAndErrorResponses() throws Exception {
        handshake(30);
        CompletableFuture<Response> answer = handler.request("x.y", new byte[0]);
        channel.runPendingTasks();
        nextOutbound();

        // Push with route code 50 (chat.push): flag 07, code 00 32, body "1".
        receive("04 00 00 04 07 00 32 31");
        // Error response to id 1: flag 0x24, id 01, body {"code":7,"msg":"no"}.
        byte[] error = "{\"code\":7,\"msg\":\"no\"}".getBytes(StandardCharsets.UTF_8);
        receive(Unpooled.buffer().writeByte(4).writeMedium(2 + error.length).writeByte(0x24).writeByte(1)
                .writeBytes(error));

        assertThat(pushes).hasSize(1);
        assertThat(pushes.get(0).route()).isEqualTo("chat.push");
        assertThat(pushes.get(0).bodyAsString()).isEqualTo("1");
        assertThat(answer.join().isError()).isTrue();
        assertThat(answer.join().errorCode()).isEqualTo(7);
        assertThat(answer.join().errorMessage()).isEqualTo("no");
    }

    @Test
    void heartbeatsEveryIntervalAndClosesAfterTwoSilentIntervals() throws Exception {
        handshake(2);

        tick(Duration.ofMillis(1999));
        assertThat((Object) channel.readOutbound()).isNull();
        tick(Duration.ofMillis(1));
        assertThat(nextOutbound()).isEqualTo("03000000");
        receive("03 00 00 00"); // The server answers at t = 2 s: silence counts from here.

        tick(Duration.ofSeconds(2));
        assertThat(nextOutbound()).isEqualTo("03000000");
        tick(Duration.ofSeconds(2));
        assertThat(nextOutbound()).isEqualTo("03000000");
        assertThat(channel.isActive()).isTrue();
        tick(Duration.ofMillis(1));

        assertThat(channel.isActive()).isFalse();
        assertThat(closes).containsExactly(CloseReason.HEARTBEAT_TIMEOUT);
    }

    @Test
    void kickReasonReachesListenersAndPendingRequests() throws Exception {
        handshake(30);
        CompletableFuture<Response> pending = handler.request("x.y", new byte[0]);
        channel.runPendingTasks();
        nextOutbound();

        receivePackage(5, "{\"reason\":\"duplicate login\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(channel.isActive()).isFalse();
        assertThat(closes).containsExactly(CloseReason.kicked("duplicate login"));
        assertThat(pending).isCompletedExceptionally();
        assertThat(pending.handle((r, e) -> e).join()).isInstanceOf(ConnectionClosedException.class)
                .hasMessage("kicked: duplicate login");
    }

    @Test
    void unknownPackageTypeClosesAsAProtocolError() throws Exception {
        handshake(30);

        receive("09 00 00 00");

        assertThat(channel.isActive()).isFalse();
        assertThat(closes).hasSize(1);
        assertThat(closes.get(0).kind()).isEqualTo(CloseReason.Kind.PROTOCOL_ERROR);
        assertThat(closes.get(0).message()).contains("unknown package type 9");
    }

    @Test
    void garbledHandshakeAnswerFailsTheHandshake() {
        nextOutbound();

        receivePackage(1, "not json".getBytes(StandardCharsets.UTF_8));

        assertThat(handler.handshakeFuture()).isCompletedExceptionally();
        assertThat(channel.isActive()).isFalse();
        assertThat(closes).isEmpty();
    }

    @Test
    void dataBeforeTheHandshakeIsIgnored() {
        nextOutbound();

        receive("04 00 00 04 06 01 61 31");

        assertThat(pushes).isEmpty();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aCompressedBodyTheClientDidNotAskForIsRefusedNotInflated() throws Exception {
        handshake(30);
        ByteBuf bomb = compressedPush(new byte[1024 * 1024]);
        assertThat(bomb.getUnsignedByte(4) & MessageFlags.BODY_COMPRESSED).isNotZero();

        receive(bomb);

        assertThat(pushes).isEmpty();
        assertThat(channel.isActive()).isFalse();
        assertThat(closes).hasSize(1);
        assertThat(closes.get(0).kind()).isEqualTo(CloseReason.Kind.PROTOCOL_ERROR);
    }

    @Test
    void aCompressedBodyItAskedForInflatesUpToItsBodyLimit() throws Exception {
        channel.finishAndReleaseAll();
        start(Json.MAPPER.createObjectNode().put("compress", true), 1024);
        handshake(30);

        receive(compressedPush("x".repeat(1024).getBytes(StandardCharsets.UTF_8)));
        assertThat(pushes).hasSize(1);
        assertThat(pushes.get(0).body()).hasSize(1024);
        assertThat(channel.isActive()).isTrue();

        receive(compressedPush(new byte[1025])); // a few bytes on the wire, one too many inflated

        assertThat(pushes).hasSize(1);
        assertThat(channel.isActive()).isFalse();
        assertThat(closes).hasSize(1);
        assertThat(closes.get(0).kind()).isEqualTo(CloseReason.Kind.PROTOCOL_ERROR);
    }

    @Test
    void aPackageLargerThanTheBodyLimitIsRefusedBeforeItsBodyArrives() throws Exception {
        channel.finishAndReleaseAll();
        start(null, 1024);
        handshake(30);

        receive("04 00 04 01"); // a data package announcing 1025 bytes: only the header is here

        assertThat(channel.isActive()).isFalse();
        assertThat(closes).hasSize(1);
        assertThat(closes.get(0).kind()).isEqualTo(CloseReason.Kind.PROTOCOL_ERROR);
    }
}
