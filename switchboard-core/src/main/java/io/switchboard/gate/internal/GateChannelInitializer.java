package io.switchboard.gate.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.OptionalSslHandler;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloMessageDecoder;
import io.switchboard.protocol.PomeloMessageEncoder;
import io.switchboard.protocol.PomeloPackageDecoder;
import io.switchboard.protocol.PomeloPackageEncoder;
import io.switchboard.protocol.websocket.BinaryFrameDecoder;
import io.switchboard.protocol.websocket.BinaryFrameEncoder;
import io.switchboard.protocol.kim.KimFrameDecoder;
import io.switchboard.protocol.kim.KimFrameEncoder;
import io.switchboard.protocol.kim.KimPacketDecoder;
import io.switchboard.protocol.kim.KimPacketEncoder;

/**
 * Builds each client connection's pipeline, once the {@link ConnectionLimiter} has admitted it. Until the first bytes
 * arrive it holds only the handshake deadline, the (optional) TLS handler and a {@link TransportDetector}; the
 * detector then adds the WebSocket handlers or not, followed by the Pomelo handlers, which are the same for both
 * transports:
 * <pre>
 * handshake deadline (until the ack) → [tls]
 * [http codec → upgrade router → goodbye → websocket → unmatched upgrades → frame aggregator → binary frames
 *  → KIM switch (the first binary frame a KIM packet: KIM's handlers replace Pomelo's, see {@link #switchToKim})]
 * package decoder → package encoder → message decoder → message encoder
 * → heartbeat → handshake → session → outbound limit → exceptions
 * </pre>
 */
public final class GateChannelInitializer extends ChannelInitializer<Channel> {
    static final int MAX_UPGRADE_REQUEST_BYTES = 64 * 1024;
    private static final String HTTP_CODEC = "http";
    private static final String PACKAGE_ENCODER = "packageEncoder";
    private static final String KIM_SWITCH = "kimSwitch";
    /** What {@link #addHandlers} adds for Pomelo alone, and a WebSocket client that speaks KIM does without. */
    private static final String[] POMELO_HANDLERS =
            {"packageDecoder", PACKAGE_ENCODER, "messageDecoder", "messageEncoder", "heartbeat", "handshake"};

    private final GateContext gate;
    private final SessionHandler sessionHandler;
    private final OutboundLimitHandler outboundLimit;
    private final GateExceptionHandler exceptionHandler;
    private final ConnectionLimiter limiter;
    private final PomeloPackageEncoder packageEncoder = new PomeloPackageEncoder();
    private final ChannelFutureListener closed;

    public GateChannelInitializer(GateContext gate) {
        this.gate = gate;
        this.sessionHandler = new SessionHandler(gate);
        this.outboundLimit = new OutboundLimitHandler(gate.config().writeBufferLowWaterMark(),
                gate.config().maxPendingOutboundBytes(), gate.metrics());
        this.exceptionHandler = new GateExceptionHandler(gate);
        this.limiter = new ConnectionLimiter(gate.config().maxConnections(), gate.config().maxConnectionsPerIp(),
                gate.metrics(), gate.config().ticker());
        this.closed = future -> connectionClosed(future.channel());
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!limiter.admit(ch)) {
            return;
        }
        gate.metrics().connectionOpened();
        // One listener for everything a close ends: idle connections are counted in the hundred thousands.
        ch.closeFuture().addListener(closed);
        ChannelPipeline p = ch.pipeline();
        GateConfig config = gate.config();
        p.addLast("handshakeDeadline", new HandshakeDeadlineHandler(config.ticker(), config.handshakeTimeout(),
                config.heartbeatCheckInterval(), gate.metrics()));
        if (config.sslContext() != null) {
            p.addLast("tls", config.allowPlaintext()
                    ? new OptionalSslHandler(config.sslContext())
                    : config.sslContext().newHandler(ch.alloc()));
        }
        p.addLast("detector", new TransportDetector(this));
        p.addLast("exceptions", exceptionHandler);
    }

    /** An admitted connection closed: it is uncounted, and its session, if it had one, is parked or ended. */
    private void connectionClosed(Channel ch) {
        limiter.release(ch);
        gate.metrics().connectionClosed();
        DefaultSession session = ch.attr(DefaultSession.KEY).get();
        if (session != null) {
            gate.parked().connectionLost(session, ch);
        }
    }

    /** Called by the detector once it knows the transport; it removes itself afterwards. */
    void addHandlers(ChannelPipeline p, HandshakeInfo.Transport transport) {
        GateConfig config = gate.config();
        String before = "exceptions";
        if (transport == HandshakeInfo.Transport.WEBSOCKET) {
            // Several packages may share a frame, so a frame may be as large as the largest body and a header; or
            // it holds one KIM packet.
            int maxFrame = Math.max(Math.max(config.maxBodyLength(), config.maxHandshakeLength())
                    + PackageHeader.HEADER_LENGTH, maxKimPacket(config));
            p.addBefore(before, HTTP_CODEC, new HttpServerCodec());
            p.addBefore(before, "httpAggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES));
            p.addBefore(before, "upgradeRouter", new WebSocketUpgradeRouter(gate.httpFallback(), true));
            p.addBefore(before, "goodbye", WebSocketGoodbyeHandler.INSTANCE);
            p.addBefore(before, "websocket", new WebSocketServerProtocolHandler(
                    WebSocketServerProtocolConfig.newBuilder()
                            .websocketPath(config.websocketPath())
                            .checkStartsWith(true)
                            .maxFramePayloadLength(maxFrame)
                            .allowExtensions(false)
                            .dropPongFrames(true)
                            .build()));
            p.addBefore(before, "unmatchedUpgrades", new WebSocketUpgradeRouter(gate.httpFallback(), false));
            p.addBefore(before, "frameAggregator", new WebSocketFrameAggregator(maxFrame));
            p.addBefore(before, "binaryFrameDecoder", BinaryFrameDecoder.INSTANCE);
            p.addBefore(before, "binaryFrameEncoder", BinaryFrameEncoder.INSTANCE);
            p.addBefore(before, KIM_SWITCH, new WebSocketKimSwitch(this));
        }
        p.addBefore(before, "packageDecoder", new PomeloPackageDecoder(config.maxBodyLength(),
                config.maxHandshakeLength()));
        p.addBefore(before, PACKAGE_ENCODER, packageEncoder);
        p.addBefore(before, "messageDecoder", new PomeloMessageDecoder(config.maxBodyLength()));
        p.addBefore(before, "messageEncoder", new PomeloMessageEncoder());
        p.addBefore(before, "heartbeat", new HeartbeatHandler(config.ticker(), config.heartbeat(),
                config.heartbeatCheckInterval(), gate.metrics()));
        p.addBefore(before, "handshake", new HandshakeHandler(gate, transport));
        p.addBefore(before, "session", sessionHandler);
        p.addBefore(before, "outboundLimit", outboundLimit);
    }

    /**
     * Called by the detector for a KIM TCP stream: KIM's frames and packets, then the same session handler (after
     * KIM's login and the bridge to Pomelo messages):
     * <pre>
     * handshake deadline (until the login) → [tls] → KIM frame decoder → KIM frame encoder
     * → KIM packet decoder → KIM packet encoder → heartbeat → login → bridge → session → outbound limit → exceptions
     * </pre>
     */
    void addKimHandlers(ChannelPipeline p) {
        String before = "exceptions";
        p.addBefore(before, "kimFrameDecoder", new KimFrameDecoder(maxKimPacket(gate.config())));
        p.addBefore(before, "kimFrameEncoder", KimFrameEncoder.INSTANCE);
        addKimPacketHandlers(p, HandshakeInfo.Transport.TCP, before);
        p.addBefore(before, "session", sessionHandler);
        p.addBefore(before, "outboundLimit", outboundLimit);
    }

    /**
     * Called by the {@link WebSocketKimSwitch} when a WebSocket client's first binary frame is a KIM packet: the
     * Pomelo handlers make way for KIM's, between the binary frames and the session handler.
     */
    void switchToKim(ChannelPipeline p) {
        for (String pomelo : POMELO_HANDLERS) {
            p.remove(pomelo);
        }
        addKimPacketHandlers(p, HandshakeInfo.Transport.WEBSOCKET, "session");
    }

    private void addKimPacketHandlers(ChannelPipeline p, HandshakeInfo.Transport transport, String before) {
        GateConfig config = gate.config();
        p.addBefore(before, "kimPacketDecoder", new KimPacketDecoder(config.maxHandshakeLength(),
                config.maxBodyLength()));
        p.addBefore(before, "kimPacketEncoder", KimPacketEncoder.INSTANCE);
        p.addBefore(before, "heartbeat", new HeartbeatHandler(config.ticker(), config.heartbeat(),
                config.heartbeatCheckInterval(), gate.metrics(), KimHeartbeats.INSTANCE));
        p.addBefore(before, "kimLogin", new KimLoginHandler(gate, transport));
        p.addBefore(before, "kimBridge", new KimBridge(gate));
    }

    /** A KIM packet's cap: the body cap, and the handshake cap for its header (it carries what a handshake does). */
    private static int maxKimPacket(GateConfig config) {
        return KimPacketDecoder.maxPacketLength(config.maxHandshakeLength(), config.maxBodyLength());
    }

    /**
     * Whether a Pomelo package written now reaches the client as one: the transport is known and, for WebSocket, the
     * upgrade done (the upgrade removes the HTTP codec).
     */
    static boolean carriesPackages(ChannelPipeline p) {
        return p.get(PACKAGE_ENCODER) != null && p.get(HTTP_CODEC) == null;
    }
}
