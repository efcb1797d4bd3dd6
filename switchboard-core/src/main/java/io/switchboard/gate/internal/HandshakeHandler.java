package io.switchboard.gate.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.gate.Acceptance;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageDecoder;
import io.switchboard.protocol.PomeloMessageEncoder;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.RouteDictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Pomelo handshake: handshake → {@link io.switchboard.gate.Acceptor} → handshake response →
 * handshake-ack → session. Messages before the ack break the protocol (conforming clients send the ack
 * before any data) and close the connection with a reason.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

    private enum State { AWAIT_HANDSHAKE, ACCEPTING, AWAIT_ACK, ESTABLISHED }

    private final GateContext gate;
    private final HandshakeInfo.Transport transport;
    private State state = State.AWAIT_HANDSHAKE;
    private HandshakeRequest request;
    private byte[] handshakeJson;
    private Acceptance acceptance;
    /** Whether this client gets zlib-compressed bodies; its session needs it to encode broadcasts for it. */
    private boolean compress;
    /** The dictionary this client was given at its handshake; kept for its session. */
    private RouteDictionary dictionary;

    HandshakeHandler(GateContext gate, HandshakeInfo.Transport transport) {
        this.gate = gate;
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PomeloMessage message) {
            if (state == State.ESTABLISHED) {
                ctx.fireChannelRead(message);
                return;
            }
            message.release();
            throw new PomeloProtocolException(state == State.AWAIT_HANDSHAKE
                    ? KickReasons.DATA_BEFORE_HANDSHAKE : KickReasons.DATA_BEFORE_ACK);
        }
        if (!(msg instanceof PomeloPackage pkg)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            switch (pkg.type()) {
                case HANDSHAKE -> {
                    if (state != State.AWAIT_HANDSHAKE) {
                        throw new PomeloProtocolException(KickReasons.DUPLICATE_HANDSHAKE);
                    }
                    onHandshake(ctx, ByteBufUtil.getBytes(pkg.content()));
                }
                case HANDSHAKE_ACK -> {
                    if (state == State.AWAIT_ACK) {
                        establish(ctx);
                    } else if (state != State.ESTABLISHED) {
                        throw new PomeloProtocolException("handshake ack before handshake response");
                    }
                }
                default -> throw new PomeloProtocolException(KickReasons.UNEXPECTED_PACKAGE + ": " + pkg.type());
            }
        } finally {
            pkg.release();
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, byte[] body) {
        try {
            request = HandshakeRequest.parse(body);
        } catch (PomeloProtocolException e) {
            refuse(ctx, HandshakeResponse.CODE_BAD_HANDSHAKE, e.reason());
            return;
        }
        state = State.ACCEPTING;
        HandshakeInfo info = new HandshakeInfo(request, ctx.channel().remoteAddress(), transport);
        gate.acceptor().accept(info).whenComplete((verdict, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                log.warn("acceptor failed for {}", ctx.channel().remoteAddress(), error);
                refuse(ctx, HandshakeResponse.CODE_BAD_HANDSHAKE, "acceptor failed");
            } else if (!verdict.accepted()) {
                refuse(ctx, verdict.code(), "handshake refused with code " + verdict.code());
            } else {
                respond(ctx, verdict);
            }
        }));
    }

    private void refuse(ChannelHandlerContext ctx, int code, String reason) {
        CloseReason.set(ctx.channel(), reason);
        gate.metrics().kicked(KickCode.HANDSHAKE_REFUSED);
        ctx.writeAndFlush(new PomeloPackage(PackageType.HANDSHAKE,
                Unpooled.wrappedBuffer(HandshakeResponse.refused(code))));
        ctx.close();
    }

    private void respond(ChannelHandlerContext ctx, Acceptance verdict) {
        if (!ctx.channel().isActive()) {
            return;
        }
        acceptance = verdict;
        RouteDictionary dictionary = gate.dictionary().get();
        this.dictionary = dictionary;
        boolean sendDictionary = !dictionary.version().equals(request.dictVersion());
        boolean compress = gate.config().allowCompression() && request.wantsCompression();
        byte[] body = HandshakeResponse.accepted((int) gate.config().heartbeat().toSeconds(), dictionary,
                sendDictionary, gate.config().serializer().name(), compress, verdict.user());
        PomeloMessageDecoder decoder = ctx.pipeline().get(PomeloMessageDecoder.class);
        decoder.dictionary(dictionary);
        decoder.compressionNegotiated(compress);
        PomeloMessageEncoder encoder = ctx.pipeline().get(PomeloMessageEncoder.class);
        encoder.dictionary(dictionary);
        encoder.compressBody(compress);
        this.compress = compress;
        // The session keeps sys and user only, compact; the tree is dropped.
        handshakeJson = request.toJson();
        request = null;
        state = State.AWAIT_ACK;
        ctx.writeAndFlush(new PomeloPackage(PackageType.HANDSHAKE, Unpooled.wrappedBuffer(body)));
    }

    private void establish(ChannelHandlerContext ctx) {
        state = State.ESTABLISHED;
        DefaultSession session = new DefaultSession(gate.nextSessionId(), ctx.channel(), handshakeJson, transport,
                gate.config().serializer(), gate.metrics(), dictionary, compress, gate.users());
        handshakeJson = null;
        if (acceptance.userId() != null) {
            // The acceptor vouches for the user id; the gate's state listener logs it in where there is a directory.
            session.userIdBound(acceptance.userId());
        }
        ctx.channel().attr(DefaultSession.KEY).set(session);
        gate.channelMap().add(session);
        ctx.channel().closeFuture().addListener(f -> {
            String reason = CloseReason.of(ctx.channel());
            gate.channelMap().remove(session.id());
            session.fireClosed(reason);
            gate.stateListener().disconnected(session, reason);
        });
        ctx.pipeline().fireUserEventTriggered(GateEvents.ESTABLISHED);
        gate.stateListener().connected(session);
    }
}
