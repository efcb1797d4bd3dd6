package io.switchboard.client.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageDecoder;
import io.switchboard.protocol.PomeloMessageEncoder;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloPackageDecoder;
import io.switchboard.protocol.PomeloPackageEncoder;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.websocket.BinaryFrameDecoder;
import io.switchboard.protocol.websocket.BinaryFrameEncoder;
import io.switchboard.protocol.websocket.EncodedBinaryFrames;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small real Pomelo server for the client's tests, built from the protocol module's codecs, over TCP, TLS,
 * WebSocket or secure WebSocket on a loopback port. It records what it receives as lines such as
 * {@code request 1 echo.hi {"a":1}} and answers requests by route:
 * <ul>
 *   <li>{@code error.*}: an error response (flag 0x20) {@code {"code":1003000001,"msg":"boom"}};</li>
 *   <li>{@code push.*}: pushes the request body on {@code room.news}, then answers {@code {}};</li>
 *   <li>{@code kick.*}: a kick package with the body's {@code reason}, then closes;</li>
 *   <li>{@code drop.*}: closes the connection without an answer;</li>
 *   <li>{@code silent.*}: never answers;</li>
 *   <li>anything else: echoes the body.</li>
 * </ul>
 * A notify on {@code push.*} pushes its body on {@code room.news}.
 */
public final class TestServer implements AutoCloseable {

    /** How the server's clients reach it. */
    public enum Transport {
        TCP("tcp"), TLS("tls"), WS("ws"), WSS("wss");

        private final String scheme;

        Transport(String scheme) {
            this.scheme = scheme;
        }

        boolean secure() {
            return this == TLS || this == WSS;
        }

        boolean webSocket() {
            return this == WS || this == WSS;
        }
    }

    /** The error answer of {@code error.*} routes. */
    public static final long ERROR_CODE = 1_003_000_001L;
    /** The routes of the server's dictionary, numbered by {@link RouteDictionary#of}. */
    public static final RouteDictionary DICTIONARY =
            RouteDictionary.of(Map.of("sys.bind", 1), Set.of("echo.hi", "room.news", "push.me"));

    private static final X509Bundle CERTIFICATE = selfSigned();

    private final Transport transport;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Integer> dataFlags = new CopyOnWriteArrayList<>();
    private final List<JsonNode> handshakes = new CopyOnWriteArrayList<>();
    private final Channel server;

    private volatile int heartbeatSeconds = 30;
    private volatile boolean answerHandshake = true;
    private volatile boolean answerHeartbeats = true;
    private volatile boolean dropAfterAck;
    private volatile boolean reading = true;
    private volatile Function<HandshakeRequest, byte[]> handshakeAnswer = this::accept;

    public TestServer(Transport transport) throws Exception {
        this.transport = transport;
        SslContext ssl = transport.secure()
                ? SslContextBuilder.forServer(CERTIFICATE.toKeyManagerFactory()).build() : null;
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        clients.add(ch);
                        ChannelPipeline pipeline = ch.pipeline();
                        // First, so it sees every handler's read request: decoders ask for more bytes when autoRead
                        // is off and they hold half a message, and a server that stopped reading must not.
                        pipeline.addLast(new ChannelOutboundHandlerAdapter() {
                            @Override
                            public void read(ChannelHandlerContext ctx) {
                                if (reading) {
                                    ctx.read();
                                }
                            }
                        });
                        if (ssl != null) {
                            pipeline.addLast(ssl.newHandler(ch.alloc()));
                        }
                        if (transport.webSocket()) {
                            pipeline.addLast(new HttpServerCodec());
                            pipeline.addLast(new HttpObjectAggregator(64 * 1024));
                            pipeline.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig
                                    .newBuilder().websocketPath("/").checkStartsWith(true).build()));
                            pipeline.addLast(BinaryFrameDecoder.INSTANCE);
                            pipeline.addLast(BinaryFrameEncoder.INSTANCE);
                        }
                        pipeline.addLast(new PomeloPackageDecoder());
                        pipeline.addLast(new PomeloPackageEncoder());
                        pipeline.addLast(new DataFlagRecorder());
                        pipeline.addLast(new PomeloMessageDecoder(PackageHeader.MAX_BODY_LENGTH));
                        pipeline.addLast(new PomeloMessageEncoder());
                        pipeline.addLast(new ServerHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** The server's certificate, for clients that should trust it. */
    public static X509Certificate certificate() {
        return CERTIFICATE.getCertificate();
    }

    public URI uri() {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return URI.create(transport.scheme + "://localhost:" + port + (transport.webSocket() ? "/pomelo" : ""));
    }

    /** The heartbeat interval the handshake answer asks for; 0 for none. */
    public TestServer heartbeatSeconds(int seconds) {
        this.heartbeatSeconds = seconds;
        return this;
    }

    /** Whether the server answers handshakes at all. */
    public TestServer answerHandshake(boolean answer) {
        this.answerHandshake = answer;
        return this;
    }

    /** Whether the server answers heartbeats (and sends one after the ack): false makes it go silent. */
    public TestServer answerHeartbeats(boolean answer) {
        this.answerHeartbeats = answer;
        return this;
    }

    /** Whether the server closes each connection as soon as its handshake-ack arrives: a connection never kept. */
    public TestServer dropAfterAck(boolean drop) {
        this.dropAfterAck = drop;
        return this;
    }

    /** Stops reading from every connected client: their writes back up in the socket buffers, then in the client. */
    public void stopReading() {
        reading = false;
        clients.forEach(ch -> ch.config().setAutoRead(false));
    }

    /** Replaces the handshake answer; an answer whose code is not 200 is followed by a close. */
    public TestServer handshakeAnswer(Function<HandshakeRequest, byte[]> answer) {
        this.handshakeAnswer = answer;
        return this;
    }

    /**
     * Answers with {@code sys.session} as a gate with resume on does (DESIGN §11): session 7, a new token
     * {@code t1}, {@code t2}, ... at each handshake, and to a handshake that asks to resume, {@code resumed} =
     * {@code resumes}. The server replays nothing: it plays the wire, not the session.
     */
    public TestServer offerResume(boolean resumes) {
        AtomicInteger tokens = new AtomicInteger();
        return handshakeAnswer(request -> {
            Boolean resumed = request.user().has(HandshakeRequest.RESUME) ? resumes : null;
            return HandshakeResponse.accepted(heartbeatSeconds, DICTIONARY, true, "json", false, null,
                    HandshakeResponse.session(7, "t" + tokens.incrementAndGet(), resumed));
        });
    }

    /** What the server received, in order: handshake, ack, heartbeat, request, notify lines. */
    public List<String> events() {
        return events;
    }

    /** The flag byte of every data package received. */
    public List<Integer> dataFlags() {
        return dataFlags;
    }

    /** Every handshake body received. */
    public List<JsonNode> handshakes() {
        return handshakes;
    }

    public long count(String event) {
        return events.stream().filter(event::equals).count();
    }

    /** Pushes to every connected client through the message encoder (route compressed if in the dictionary). */
    public void push(String route, String json) {
        forEachLive(ctx -> ctx.writeAndFlush(
                PomeloMessage.push(route, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8))));
    }

    /**
     * Runs {@code write} for every client whose pipeline is still whole: a client that just closed can still be
     * in the group while its handlers are being removed.
     */
    private void forEachLive(java.util.function.Consumer<io.netty.channel.ChannelHandlerContext> write) {
        clients.forEach(ch -> {
            io.netty.channel.ChannelHandlerContext ctx = ch.pipeline().context(ServerHandler.class);
            if (ctx != null && ch.isActive()) {
                write.accept(ctx);
            }
        });
    }

    /** Writes raw bytes (whole packages) to every connected client, under the Pomelo codecs. */
    public void sendRaw(byte[] bytes) {
        forEachLive(ctx -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)));
    }

    /**
     * Writes raw WebSocket frames, headers and payloads as a server sends them (unmasked), to every connected client,
     * past the frame encoder: for fragments, and for a frame cut short. WebSocket transports only.
     */
    public void sendFrames(byte[] frames) {
        if (!transport.webSocket()) {
            throw new IllegalStateException("frames need a WebSocket transport, not " + transport);
        }
        forEachLive(ctx -> ctx.writeAndFlush(new EncodedBinaryFrames(Unpooled.wrappedBuffer(frames))));
    }

    /** Closes every client connection without a word. */
    public void dropAll() {
        clients.close().awaitUninterruptibly();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        clients.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private byte[] accept(HandshakeRequest request) {
        boolean sendDictionary = !DICTIONARY.version().equals(request.dictVersion());
        return HandshakeResponse.accepted(heartbeatSeconds, DICTIONARY, sendDictionary, "json",
                request.wantsCompression(), null);
    }

    private static X509Bundle selfSigned() {
        try {
            return new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                    .addSanIpAddress("127.0.0.1").setIsCertificateAuthority(true).buildSelfSigned();
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /** Notes the flag byte of each data package, to see whether the client compressed its routes. */
    private final class DataFlagRecorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof PomeloPackage pkg && pkg.type() == PackageType.DATA && pkg.content().isReadable()) {
                dataFlags.add((int) pkg.content().getUnsignedByte(pkg.content().readerIndex()));
            }
            super.channelRead(ctx, msg);
        }
    }

    private final class ServerHandler extends SimpleChannelInboundHandler<Object> {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("error " + cause.getMessage());
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof PomeloPackage pkg) {
                onPackage(ctx, pkg);
            } else if (msg instanceof PomeloMessage message) {
                onMessage(ctx, message);
            }
        }

        private void onPackage(ChannelHandlerContext ctx, PomeloPackage pkg) {
            switch (pkg.type()) {
                case HANDSHAKE -> {
                    events.add("handshake");
                    HandshakeRequest request = HandshakeRequest.parse(ByteBufUtil.getBytes(pkg.content()));
                    ObjectNode received = Json.MAPPER.createObjectNode();
                    received.set("sys", request.sys());
                    received.set("user", request.user());
                    handshakes.add(received);
                    if (!answerHandshake) {
                        return;
                    }
                    byte[] answer = handshakeAnswer.apply(request);
                    ctx.writeAndFlush(new PomeloPackage(PackageType.HANDSHAKE, Unpooled.wrappedBuffer(answer)));
                    JsonNode parsed = readTree(answer);
                    if (parsed.path("code").asInt() != HandshakeResponse.CODE_OK) {
                        ctx.close();
                        return;
                    }
                    if (parsed.path("sys").path("dictVersion").asText().equals(DICTIONARY.version())) {
                        ctx.pipeline().get(PomeloMessageEncoder.class).dictionary(DICTIONARY);
                        ctx.pipeline().get(PomeloMessageDecoder.class).dictionary(DICTIONARY);
                    }
                    ctx.pipeline().get(PomeloMessageEncoder.class).compressBody(request.wantsCompression());
                }
                case HANDSHAKE_ACK -> {
                    events.add("ack");
                    if (dropAfterAck) {
                        ctx.close();
                    } else if (answerHeartbeats) {
                        ctx.writeAndFlush(PomeloPackage.empty(PackageType.HEARTBEAT));
                    }
                }
                case HEARTBEAT -> {
                    events.add("heartbeat");
                    if (answerHeartbeats) {
                        ctx.writeAndFlush(PomeloPackage.empty(PackageType.HEARTBEAT));
                    }
                }
                default -> events.add(pkg.type().name().toLowerCase());
            }
        }

        private void onMessage(ChannelHandlerContext ctx, PomeloMessage message) {
            String body = message.content().toString(StandardCharsets.UTF_8);
            String route = message.route();
            switch (message.type()) {
                case NOTIFY -> {
                    events.add("notify " + route + " " + body);
                    if (route.startsWith("push.")) {
                        ctx.writeAndFlush(PomeloMessage.push("room.news", message.content().retainedDuplicate()));
                    }
                }
                case REQUEST -> {
                    events.add("request " + message.id() + " " + route + " " + body);
                    answer(ctx, message, route);
                }
                default -> events.add(message.type().name().toLowerCase());
            }
        }

        private void answer(ChannelHandlerContext ctx, PomeloMessage request, String route) {
            if (route.startsWith("error.")) {
                ByteBuf error = Unpooled.copiedBuffer(Json.errorBody(ERROR_CODE, "boom").toString(),
                        StandardCharsets.UTF_8);
                ctx.writeAndFlush(PomeloMessage.errorResponse(request.id(), error));
            } else if (route.startsWith("push.")) {
                ctx.write(PomeloMessage.push("room.news", request.content().retainedDuplicate()));
                ctx.writeAndFlush(PomeloMessage.response(request.id(),
                        Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));
            } else if (route.startsWith("kick.")) {
                String reason = readTree(ByteBufUtil.getBytes(request.content())).path("reason").asText();
                ctx.writeAndFlush(PomeloPackage.kick(reason)).addListener(f -> ctx.close());
            } else if (route.startsWith("drop.")) {
                ctx.close();
            } else if (!route.startsWith("silent.")) {
                ctx.writeAndFlush(PomeloMessage.response(request.id(), request.content().retainedDuplicate()));
            }
        }
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
