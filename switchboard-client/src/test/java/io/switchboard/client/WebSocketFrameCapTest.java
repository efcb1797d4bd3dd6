package io.switchboard.client;

import io.switchboard.client.testserver.TestServer;
import io.switchboard.client.testserver.TestServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over WebSocket the client reads frames, and fragmented messages, no longer than one package of its
 * {@code maxBodyLength}: a server cannot make it buffer more than it would read over TCP. Against the test server,
 * which writes frames as it is told.
 */
@Timeout(value = 30, unit = SECONDS)
class WebSocketFrameCapTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int MAX_BODY = 1024;
    /** The frame cap: one package of the largest body, its 4-byte header included. */
    private static final int CAP = 4 + MAX_BODY;
    private static final String TOO_LARGE = "WebSocket frame too large: limit " + CAP
            + " bytes, a package of maxBodyLength " + MAX_BODY;
    private static final byte[] ROUTE = "room.news".getBytes(StandardCharsets.US_ASCII);
    /** A push's message bytes before its body: flag, route length, route. */
    private static final int PUSH_PREFIX = 2 + ROUTE.length;
    // First bytes of a frame: FIN and opcode.
    private static final int WHOLE_BINARY = 0x82;
    private static final int FIRST_FRAGMENT = 0x02;
    private static final int LAST_FRAGMENT = 0x80;

    private final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private TestServer server;
    private SwitchboardClient client;

    @BeforeEach
    void connect() throws Exception {
        server = new TestServer(Transport.WS);
        client = SwitchboardClient.builder(server.uri()).maxBodyLength(MAX_BODY).build();
        client.onClose(closes::add);
        client.onPush(pushes::add);
        assertThat(client.connect()).succeedsWithin(WAIT);
    }

    @AfterEach
    void tearDown() {
        assertThat(client.close()).succeedsWithin(WAIT);
        server.close();
    }

    @Test
    void aFrameLongerThanAPackageOfMaxBodyLengthClosesTheConnectionAsAProtocolError() {
        CompletableFuture<Response> pending = client.request("silent.wait", bytes("{}"));
        await().atMost(WAIT).until(() -> server.events().contains("request 1 silent.wait {}"));

        server.sendRaw(push(2000)); // one frame of 4 + 2,000 bytes

        assertClosedForAFrameTooLarge();
        Throwable failure = assertThat(pending).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .actual().getCause();
        assertThat(failure).isInstanceOf(ConnectionClosedException.class).hasMessage(TOO_LARGE);
    }

    @Test
    void aFrameOverTheCapIsRefusedOnItsHeaderBeforeItsPayloadArrives() {
        // The header of a frame of 4 + 2,000 bytes and the package header it starts with; the rest never comes.
        server.sendFrames(concat(frameHeader(WHOLE_BINARY, 4 + 2000), Arrays.copyOf(push(2000), 4)));

        assertClosedForAFrameTooLarge();
    }

    @Test
    void fragmentsUnderTheCapCannotAddUpToAMessageOverIt() {
        // Two pushes that each fit, 1,028 + 976 bytes, in one message of two fragments of 1,000 and 1,004 bytes.
        byte[] message = concat(push(MAX_BODY), push(972));

        server.sendFrames(fragments(message, 1000));

        assertClosedForAFrameTooLarge();
    }

    @Test
    void aFrameOrFragmentedMessageExactlyAtTheCapIsRead() {
        assertThat(push(MAX_BODY)).hasSize(CAP);

        server.sendRaw(push(MAX_BODY));
        server.sendFrames(fragments(push(MAX_BODY), 500));

        await().atMost(WAIT).until(() -> pushes.size() == 2);
        assertThat(pushes).allSatisfy(push -> {
            assertThat(push.route()).isEqualTo("room.news");
            assertThat(push.body()).hasSize(MAX_BODY - PUSH_PREFIX);
        });
        assertThat(client.request("echo.hi", bytes("{}"))).succeedsWithin(WAIT);
        assertThat(client.isConnected()).isTrue();
        assertThat(closes).isEmpty();
    }

    /** Told as a body over {@code maxBodyLength} is over TCP: a protocol error, and nothing of the frame read. */
    private void assertClosedForAFrameTooLarge() {
        await().atMost(WAIT).until(() -> !closes.isEmpty());
        assertThat(closes).containsExactly(CloseReason.protocolError(TOO_LARGE));
        assertThat(client.isConnected()).isFalse();
        assertThat(pushes).isEmpty();
    }

    /**
     * A data package of a push on {@code room.news}, the route as a string, whose body (the message) is
     * {@code bodyLength} bytes: {@code [04][length:3][06][route length][route][JSON string]}.
     */
    private static byte[] push(int bodyLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(4);
        out.write(bodyLength >>> 16);
        out.write(bodyLength >>> 8);
        out.write(bodyLength);
        out.write(0x06); // a push, its route not compressed
        out.write(ROUTE.length);
        out.writeBytes(ROUTE);
        out.writeBytes(("\"" + "x".repeat(bodyLength - PUSH_PREFIX - 2) + "\"").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** {@code message} as two binary frames, the first {@code split} bytes long. */
    private static byte[] fragments(byte[] message, int split) {
        int rest = message.length - split;
        return concat(frameHeader(FIRST_FRAGMENT, split), Arrays.copyOf(message, split),
                frameHeader(LAST_FRAGMENT, rest), Arrays.copyOfRange(message, split, message.length));
    }

    /** An unmasked frame's header, as a server sends it, for payloads up to 64 KiB − 1. */
    private static byte[] frameHeader(int first, int payloadLength) {
        if (payloadLength <= 125) {
            return new byte[] {(byte) first, (byte) payloadLength};
        }
        return new byte[] {(byte) first, 126, (byte) (payloadLength >>> 8), (byte) payloadLength};
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
