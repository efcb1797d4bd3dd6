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
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloPackageDecoder;
import io.switchboard.protocol.websocket.BinaryFrameDecoder;
import io.switchboard.protocol.websocket.BinaryFrameEncoder;
import io.switchboard.protocol.domi.DomiFrameDecoder;
import io.switchboard.protocol.domi.DomiFrameEncoder;
import io.switchboard.protocol.kim.KimFrameDecoder;
import io.switchboard.protocol.kim.KimFrameEncoder;
import io.switchboard.protocol.kim.KimPacketDecoder;
import io.switchboard.protocol.kim.KimPacketEncoder;

import java.util.function.Supplier;

/**
 * Builds each client connection's pipeline, once the {@link ConnectionLimiter} has admitted it. Until the first bytes
 * arrive it holds only the handshake deadline, the (optional) TLS handler and a {@link TransportDetector}; the
 * detector then adds the WebSocket handlers or not, followed by the handlers of the framing (Pomelo or DOMI; over
 * WebSocket chosen by the first binary frame), then the session handlers, which are the same for every transport and
 * framing (a DOMI connection's frames are translated to and from the Pomelo messages they stand for):
 * <pre>
 * handshake deadline (until the ack) → [tls]
 * [http codec (then frames, held to the first-frame cap until established) → upgrade router → control frames
 *  → websocket → unmatched upgrades → frame aggregator → binary frames
 *  → framing detector (the first binary frame tells Pomelo, DOMI or KIM)]
 * package decoder → messages (one codec for the gate)                    (Pomelo)
 * | DOMI frame decoder → DOMI frame encoder → DOMI translator              (DOMI)
 * | [KIM frame decoder → KIM frame encoder (TCP)] → KIM packet decoder → KIM packet encoder   (KIM)
 * → heartbeat → handshake → session → outbound limit → exceptions
 * </pre>
 */
public final class GateChannelInitializer extends ChannelInitializer<Channel> {
    static final int MAX_UPGRADE_REQUEST_BYTES = 64 * 1024;
    private static final String HTTP_CODEC = "http";
    private static final String MESSAGES = "messages";
    private static final String DOMI_TRANSLATOR = "domiTranslator";

    private final GateContext gate;
    private final SessionHandler sessionHandler;
    private final OutboundLimitHandler outboundLimit;
    private final GateExceptionHandler exceptionHandler;
    private final ConnectionLimiter limiter;
    private final ChannelFutureListener closed;
    private final SessionMessageCodec messages;
    private final HeartbeatSweeps heartbeats;
    private final int maxWebSocketFrame;
    private final WebSocketServerProtocolConfig webSocketConfig;
    /** The frame decoder a WebSocket connection reads with once upgraded, in place of Netty's. */
    private final Supplier<CappedWebSocketFrameDecoder> frameDecoder;

    public GateChannelInitializer(GateContext gate) {
        this.gate = gate;
        this.sessionHandler = new SessionHandler(gate);
        this.outboundLimit = new OutboundLimitHandler(gate.config().writeBufferLowWaterMark(),
                gate.config().maxPendingOutboundBytes(), gate.metrics());
        this.exceptionHandler = new GateExceptionHandler(gate);
        this.limiter = new ConnectionLimiter(gate.config().maxConnections(), gate.config().maxConnectionsPerIp(),
                gate.metrics(), gate.config().ticker());
        this.closed = future -> connectionClosed(future.channel());
        GateConfig config = gate.config();
        this.messages = new SessionMessageCodec(config.maxBodyLength());
        // Several packages may share a frame, so a frame may be as large as the largest body and a header (a DOMI
        // frame's, the longer, when the framing is not known yet), or it holds one KIM packet.
        this.maxWebSocketFrame = Math.max(Math.max(Math.max(config.maxBodyLength(), config.maxHandshakeLength())
                + PackageHeader.HEADER_LENGTH, DomiTranslator.maxFrameLength(config)), maxKimPacket(config));
        // One for the gate: the protocol handler keeps it, and idle connections are counted in the hundred thousands.
        this.webSocketConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(config.websocketPath())
                .checkStartsWith(true)
                .maxFramePayloadLength(maxWebSocketFrame)
                .allowExtensions(false)
                .dropPongFrames(true)
                // Only binary frames are the protocol (a text frame closes the connection), so text is not
                // checked for UTF-8 on its way there: one handler less per connection.
                .withUTF8Validator(false)
                .build();
        int maxFirstFrame = maxFirstFrame(config);
        this.frameDecoder = () -> new CappedWebSocketFrameDecoder(webSocketConfig.decoderConfig(), maxFirstFrame);
        this.heartbeats = new HeartbeatSweeps(config.ticker(), config.heartbeat(), config.heartbeatCheckInterval(),
                gate.metrics());
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

    /**
     * Called by the detector once it knows the transport (and, for raw TCP, the framing); it removes itself
     * afterwards. Over WebSocket the framing waits for the first binary frame.
     */
    void addHandlers(ChannelPipeline p, HandshakeInfo.Transport transport, ClientProtocol protocol) {
        String before = "exceptions";
        if (transport == HandshakeInfo.Transport.WEBSOCKET) {
            p.addBefore(before, HTTP_CODEC, new HttpServerCodec());
            p.addBefore(before, "httpAggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES));
            p.addBefore(before, "upgradeRouter", new WebSocketUpgradeRouter(gate.httpFallback(), true, null));
            p.addBefore(before, "control", new WebSocketControlHandler());
            p.addBefore(before, "websocket", new WebSocketServerProtocolHandler(webSocketConfig));
            p.addBefore(before, "unmatchedUpgrades", new WebSocketUpgradeRouter(gate.httpFallback(), false,
                    frameDecoder));
            p.addBefore(before, "frameAggregator", new WebSocketFrameAggregator(maxWebSocketFrame));
            p.addBefore(before, "binaryFrameDecoder", BinaryFrameDecoder.INSTANCE);
            p.addBefore(before, "binaryFrameEncoder", BinaryFrameEncoder.INSTANCE);
        }
        if (protocol == null) {
            p.addBefore(before, "framingDetector", new WebSocketFramingDetector(this, transport));
        } else {
            addFraming(p, transport, protocol);
        }
    }

    /** The handlers of one framing, then the session handlers every framing shares. */
    void addFraming(ChannelPipeline p, HandshakeInfo.Transport transport, ClientProtocol protocol) {
        GateConfig config = gate.config();
        String before = "exceptions";
        gate.metrics().protocolDetected(protocol);
        switch (protocol) {
            case KIM -> {
                // KIM logs in with its first packet and has pings of its own: its own login and heartbeat wire.
                p.addBefore(before, "kimPacketDecoder", new KimPacketDecoder(config.maxHandshakeLength(),
                        config.maxBodyLength()));
                p.addBefore(before, "kimPacketEncoder", KimPacketEncoder.INSTANCE);
                p.addBefore(before, "heartbeat", new HeartbeatHandler(heartbeats, KimHeartbeats.INSTANCE));
                p.addBefore(before, "kimLogin", new KimLoginHandler(gate, transport));
                p.addBefore(before, "kimBridge", new KimBridge(gate));
            }
            case DOMI -> {
                p.addBefore(before, "domiDecoder", new DomiFrameDecoder(DomiTranslator.maxFrameLength(config),
                        DomiTranslator.maxHelloLength(config)));
                p.addBefore(before, "domiEncoder", DomiFrameEncoder.INSTANCE);
                p.addBefore(before, DOMI_TRANSLATOR, new DomiTranslator(gate));
                addHeartbeatAndHandshake(p, transport, protocol, before);
            }
            case POMELO -> {
                p.addBefore(before, "packageDecoder", new PomeloPackageDecoder(config.maxBodyLength(),
                        config.maxHandshakeLength()));
                p.addBefore(before, MESSAGES, messages);
                addHeartbeatAndHandshake(p, transport, protocol, before);
            }
        }
        p.addBefore(before, "session", sessionHandler);
        p.addBefore(before, "outboundLimit", outboundLimit);
    }

    private void addHeartbeatAndHandshake(ChannelPipeline p, HandshakeInfo.Transport transport,
                                          ClientProtocol protocol, String before) {
        p.addBefore(before, "heartbeat", new HeartbeatHandler(heartbeats));
        p.addBefore(before, "handshake", new HandshakeHandler(gate, transport, protocol));
    }

    /** Called by the detector for a KIM TCP stream: KIM's frames around its packets, then the KIM framing. */
    void addKimHandlers(ChannelPipeline p) {
        String before = "exceptions";
        p.addBefore(before, "kimFrameDecoder", new KimFrameDecoder(maxKimPacket(gate.config()),
                maxFirstFrame(gate.config())));
        p.addBefore(before, "kimFrameEncoder", KimFrameEncoder.INSTANCE);
        addFraming(p, HandshakeInfo.Transport.TCP, ClientProtocol.KIM);
    }

    /**
     * The largest first frame any framing needs before its session is established: a KIM login (a header and a
     * LoginReq, each held to the handshake cap) is the largest, above a Pomelo handshake package and a DOMI hello.
     */
    static int maxFirstFrame(GateConfig config) {
        int handshake = config.maxHandshakeLength();
        return Math.max(Math.max(handshake + PackageHeader.HEADER_LENGTH, DomiTranslator.maxHelloLength(config)),
                KimPacketDecoder.maxPacketLength(handshake, handshake));
    }

    /** A KIM packet's cap: the body cap, and the handshake cap for its header (it carries what a handshake does). */
    private static int maxKimPacket(GateConfig config) {
        return KimPacketDecoder.maxPacketLength(config.maxHandshakeLength(), config.maxBodyLength());
    }

    /**
     * Whether a Pomelo package written now reaches the client as one (or, on a DOMI connection, as the DOMI frame it
     * is translated to): the framing is known and, for WebSocket, the upgrade done (the upgrade removes the HTTP
     * codec).
     */
    static boolean carriesPackages(ChannelPipeline p) {
        return (p.get(MESSAGES) != null || p.get(DOMI_TRANSLATOR) != null) && p.get(HTTP_CODEC) == null;
    }
}
