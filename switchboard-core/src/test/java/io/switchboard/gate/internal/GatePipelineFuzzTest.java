package io.switchboard.gate.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.ConcurrentChannelMap;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.OtherGates;
import io.switchboard.gate.StateListener;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.testing.ChunkedInput;
import io.switchboard.testing.TrackingAllocator;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes a whole gate connection on an EmbeddedChannel, from the first byte: TLS (optional or required), the
 * TCP/HTTP sniffing, the HTTP upgrade, WebSocket framing, Pomelo packages and messages or DOMI frames, the
 * handshake, heartbeats and an established session whose listener echoes requests. Input: {@code [options][chunk seed][bytes...]};
 * options bit 0 puts TLS on the port, bit 1 lets plaintext in beside it, bit 2 allows compression, bits 3–4
 * choose the body limit (64 B, 1 KiB, 64 KiB, 1 MiB), bit 5 lets the clocks run past every deadline afterwards,
 * and bit 6 (with TLS) sends the bytes inside a real TLS session instead of raw.
 *
 * <p>Invariants: no exception reaches the end of the pipeline and nothing is logged at WARN or above (the gate
 * logs unexpected errors there, with their stack trace); no inbound message falls off the end of the pipeline;
 * every buffer is released; the memory held stays proportional to the input and the limits; when the connection
 * is gone it is out of the channel map and the open-connection gauge; and a new client on the same gate still
 * completes the handshake.
 */
class GatePipelineFuzzTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CHECK = Duration.ofMillis(100);
    /** Past the heartbeat timeout (twice the interval) and SslHandler's 10 s handshake timeout. */
    private static final Duration LATER = Duration.ofSeconds(31);
    private static final int[] LIMITS = {64, 1024, 64 * 1024, 1 << 20};
    private static final int MAX_INFLATE_RATIO = 1100;
    private static final RouteDictionary DICTIONARY =
            RouteDictionary.of(Map.of(), List.of("demo.echo.say", "onTell"));
    private static final byte[] GOOD_HANDSHAKE =
            "{\"sys\":{\"type\":\"fuzz\",\"version\":\"1\"},\"user\":{}}".getBytes(StandardCharsets.UTF_8);

    private static final SslContext SERVER_TLS;
    private static final SslContext CLIENT_TLS;
    private static final ListAppender<ILoggingEvent> WARNINGS = new ListAppender<>();

    static {
        try {
            X509Bundle cert = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                    .setIsCertificateAuthority(true).buildSelfSigned();
            SERVER_TLS = SslContextBuilder.forServer(cert.getKeyPair().getPrivate(), cert.getCertificate()).build();
            CLIENT_TLS = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
        WARNINGS.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(WARNINGS);
    }

    @FuzzTest(maxDuration = "50s")
    void anyBytesFromTheFirst(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int options = input[0];
        boolean tls = (options & 1) != 0;
        boolean plaintextAllowed = !tls || (options & 2) != 0;
        int limit = LIMITS[(options >> 3) & 3];
        Gate gate = new Gate(tls, plaintextAllowed, (options & 4) != 0, limit);
        synchronized (WARNINGS) {
            WARNINGS.list.clear();
        }
        TrackingAllocator alloc = new TrackingAllocator(input[1] % 2 == 0);
        EmbeddedChannel ch = gate.channel(alloc);
        byte[] stream = input;
        int from = 2;
        if (tls && (options & 64) != 0) {
            stream = TlsClient.handshake(ch).seal(input, from);
            from = 0;
        }
        Consumer<Object> outbound = msg -> assertThat(msg).isInstanceOf(ByteBuf.class);
        Consumer<Object> inbound = ChunkedInput.nothing("inbound (fell off the end of the pipeline)");

        ChunkedInput.write(ch, stream, from, input[1], inbound, outbound);
        if ((options & 32) != 0) {
            gate.ticker.advance(LATER);
            for (long ms = 0; ms < LATER.toMillis() && ch.isOpen(); ms += CHECK.toMillis()) {
                ch.advanceTimeBy(CHECK.toMillis(), TimeUnit.MILLISECONDS);
                ch.runScheduledPendingTasks();
            }
            ChunkedInput.drain(ch, inbound, outbound);
        }
        ChunkedInput.finish(ch, inbound, outbound);

        ChunkedInput.allowOnly(ch);
        synchronized (WARNINGS) {
            assertThat(WARNINGS.list).as("warnings logged").noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        }
        alloc.assertAllReleased();
        long bound = 256 * 1024 + 16L * stream.length + 4L * Math.min(limit, (long) MAX_INFLATE_RATIO * stream.length);
        assertThat(alloc.peakLiveBytes()).as("bytes held at once").isLessThanOrEqualTo(bound);
        assertThat(gate.channels.size()).as("sessions left in the channel map").isZero();
        assertThat(gate.metrics.activeConnections()).as("open connections counted").isZero();
        gate.assertStillServes();
    }

    /** One gate's shared state, as a server holds it across connections. */
    private static final class Gate {
        final ManualTicker ticker = new ManualTicker();
        final ConcurrentChannelMap channels = new ConcurrentChannelMap();
        final GateMetrics metrics = GateMetrics.noop();
        final boolean plaintextAllowed;
        final GateChannelInitializer initializer;

        Gate(boolean tls, boolean plaintextAllowed, boolean compression, int limit) {
            this.plaintextAllowed = plaintextAllowed;
            GateConfig.Builder config = GateConfig.builder().port(0).heartbeat(HEARTBEAT)
                    .heartbeatCheckInterval(CHECK).handshakeTimeout(HANDSHAKE_TIMEOUT).ticker(ticker)
                    .maxBodyLength(limit).dictionary(DICTIONARY).allowCompression(compression);
            if (tls) {
                config.sslContext(SERVER_TLS).allowPlaintext(plaintextAllowed);
            }
            GateConfig built = config.build();
            GateContext context = new GateContext(built, Acceptor.ACCEPT_ALL, Gate::echo,
                    StateListener.NOOP, channels, metrics, NotFoundHttpFallback.INSTANCE, new AtomicLong(),
                    new AtomicReference<>(), new AtomicReference<>(DICTIONARY),
                    new ParkedSessions(built, channels, StateListener.NOOP, metrics, OtherGates.NONE));
            initializer = new GateChannelInitializer(context);
        }

        /** The application: answers a request with its own body, a notify with a push of it. */
        private static void echo(io.switchboard.gate.GateSession session, PomeloMessage message) {
            try {
                if (message.type() == MessageType.REQUEST) {
                    session.write(PomeloMessage.response(message.id(), message.content().retain()));
                } else {
                    session.write(PomeloMessage.push("onTell", message.content().retain()));
                }
            } finally {
                message.release();
            }
        }

        EmbeddedChannel channel(ByteBufAllocator alloc) {
            EmbeddedChannel ch = new EmbeddedChannel();
            ch.freezeTime();
            ch.config().setAllocator(alloc);
            ch.pipeline().addLast(initializer);
            ch.pipeline().addFirst("transport", new TransportWrites());
            return ch;
        }

        /** A well-behaved client still gets through the handshake after whatever the fuzzer sent. */
        void assertStillServes() {
            EmbeddedChannel ch = channel(ByteBufAllocator.DEFAULT);
            try {
                TlsClient tls = plaintextAllowed ? null : TlsClient.handshake(ch);
                ByteBuf handshake = Unpooled.buffer().writeByte(PackageType.HANDSHAKE.code())
                        .writeMedium(GOOD_HANDSHAKE.length).writeBytes(GOOD_HANDSHAKE);
                send(ch, tls, handshake);
                ByteBuf response = receive(ch, tls);
                try {
                    assertThat(response.readUnsignedByte()).isEqualTo((short) PackageType.HANDSHAKE.code());
                    response.skipBytes(3);
                    JsonNode body = Json.MAPPER.readTree(response.toString(StandardCharsets.UTF_8));
                    assertThat(body.get("code").asInt()).as("handshake answer").isEqualTo(HandshakeResponse.CODE_OK);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                } finally {
                    response.release();
                }
                send(ch, tls, Unpooled.wrappedBuffer(new byte[] {(byte) PackageType.HANDSHAKE_ACK.code(), 0, 0, 0}));
                receive(ch, tls).release();
                assertThat(channels.size()).as("the new session is in the channel map").isEqualTo(1);
            } finally {
                ch.finishAndReleaseAll();
            }
            assertThat(channels.size()).isZero();
        }

        private static void send(EmbeddedChannel ch, TlsClient tls, ByteBuf plain) {
            if (tls == null) {
                ch.writeInbound(plain);
            } else {
                byte[] sealed = tls.seal(ByteBufUtil.getBytes(plain), 0);
                plain.release();
                ch.writeInbound(Unpooled.wrappedBuffer(sealed));
            }
        }

        private static ByteBuf receive(EmbeddedChannel ch, TlsClient tls) {
            ch.runPendingTasks();
            if (tls == null) {
                ByteBuf out = ch.readOutbound();
                assertThat(out).as("an answer").isNotNull();
                return out;
            }
            return tls.open(ch);
        }
    }

    /**
     * Does with a write what a socket channel does and EmbeddedChannel does not: anything but bytes is refused (the
     * write fails) and released. Netty's WebSocket handler writes a close frame when a connection that never
     * upgraded closes, and the frame encoder wraps a kick sent before the upgrade; on a socket those writes fail
     * harmlessly. Once the WebSocket is up, though, a frame that reaches the transport unencoded means clients
     * get nothing: that fails the test.
     */
    private static final class TransportWrites extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf) {
                ctx.write(msg, promise);
                return;
            }
            boolean upgraded = ctx.pipeline().get(WebSocketFrameEncoder.class) != null;
            String written = msg.toString();
            ReferenceCountUtil.release(msg);
            promise.setFailure(new UnsupportedOperationException("unsupported message type: " + written));
            if (upgraded) {
                ChunkedInput.failures(ctx.channel()).add(new AssertionError(written + " written unencoded on a WebSocket"));
            }
        }
    }

    /** A TLS client on its own EmbeddedChannel, its records carried to and from the gate's channel by hand. */
    private static final class TlsClient {
        private final EmbeddedChannel client;

        private TlsClient(EmbeddedChannel client) {
            this.client = client;
        }

        /** Runs the TLS handshake with the gate's channel; the client's resources die with the gate's channel. */
        static TlsClient handshake(EmbeddedChannel gate) {
            EmbeddedChannel client = new EmbeddedChannel(CLIENT_TLS.newHandler(ByteBufAllocator.DEFAULT));
            gate.closeFuture().addListener(f -> client.finishAndReleaseAll());
            SslHandler ssl = client.pipeline().get(SslHandler.class);
            for (int round = 0; round < 10 && !ssl.handshakeFuture().isDone(); round++) {
                pump(client, gate);
                pump(gate, client);
            }
            assertThat(ssl.handshakeFuture().isSuccess()).as("TLS handshake with the gate").isTrue();
            return new TlsClient(client);
        }

        private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
            from.runPendingTasks();
            ByteBuf buf;
            while ((buf = from.readOutbound()) != null) {
                to.writeInbound(buf);
            }
        }

        /** The TLS records that carry {@code plain[from..]}. */
        byte[] seal(byte[] plain, int from) {
            client.writeOutbound(Unpooled.wrappedBuffer(plain, from, plain.length - from));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuf buf;
            while ((buf = client.readOutbound()) != null) {
                out.writeBytes(ByteBufUtil.getBytes(buf));
                buf.release();
            }
            return out.toByteArray();
        }

        /** Decrypts what the gate sent; one package is expected. */
        ByteBuf open(EmbeddedChannel gate) {
            pump(gate, client);
            ByteBuf plain = client.readInbound();
            assertThat(plain).as("an answer").isNotNull();
            return plain;
        }
    }
}
