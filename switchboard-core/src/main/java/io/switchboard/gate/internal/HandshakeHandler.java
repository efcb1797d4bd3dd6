package io.switchboard.gate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.gate.Acceptance;
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.gate.ResumeRefusal;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.RouteDictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Pomelo handshake: handshake → {@link io.switchboard.gate.Acceptor} → handshake response →
 * handshake-ack → session (a DOMI connection's hello and answer are translated to these by {@link DomiTranslator}). Messages before the ack break the protocol (conforming clients send the ack
 * before any data) and close the connection with a reason.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

    private static final String SESSION_FIELD = "session";

    private enum State { AWAIT_HANDSHAKE, ACCEPTING, AWAIT_ACK, ESTABLISHED }

    private final GateContext gate;
    private final HandshakeInfo.Transport transport;
    private final ClientProtocol protocol;
    private State state = State.AWAIT_HANDSHAKE;
    private HandshakeRequest request;
    private byte[] handshakeJson;
    private Acceptance acceptance;
    /** Whether this client gets zlib-compressed bodies; its session needs it to encode broadcasts for it. */
    private boolean compress;
    /** The dictionary this client was given at its handshake; kept for its session. */
    private RouteDictionary dictionary;
    /** A fresh session's id and resume secret, told to the client in the handshake answer. */
    private long sessionId;
    private byte[] resumeSecret;
    /** What came of the handshake's request to resume, if it made one. */
    private Resumption.Outcome resume;

    HandshakeHandler(GateContext gate, HandshakeInfo.Transport transport, ClientProtocol protocol) {
        this.gate = gate;
        this.transport = transport;
        this.protocol = protocol;
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
                // Messages are decoded once the session exists, with what its handshake chose.
                case DATA -> throw new PomeloProtocolException(state == State.AWAIT_HANDSHAKE
                        ? KickReasons.DATA_BEFORE_HANDSHAKE : KickReasons.DATA_BEFORE_ACK);
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
        HandshakeInfo info = new HandshakeInfo(request, ctx.channel().remoteAddress(), transport,
                ctx.channel()::isActive);
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
        // DOMI has no compression flag, and its sessions are not resumed: their pushes are not kept as packages.
        boolean pomelo = protocol == ClientProtocol.POMELO;
        boolean compress = pomelo && gate.config().allowCompression() && request.wantsCompression();
        resume = pomelo ? Resumption.attempt(gate, request, verdict, compress, transport) : Resumption.NOT_ASKED;
        DefaultSession resuming = resume.session();
        JsonNode session = null;
        if (resuming != null) {
            // The replay is already encoded with the session's dictionary and compression: the client keeps them.
            dictionary = resuming.dictionary();
            session = HandshakeResponse.session(resuming.id(), resume.token(), true);
            ctx.channel().closeFuture().addListener(f -> {
                if (state != State.ESTABLISHED) {
                    resuming.unclaim(); // gone before its ack: the session waits for another try
                }
            });
        } else {
            dictionary = gate.dictionary().get();
            sessionId = gate.nextSessionId();
            resumeSecret = pomelo ? gate.parked().newSecret() : null;
            if (resumeSecret != null) {
                session = HandshakeResponse.session(sessionId, gate.parked().token(sessionId, resumeSecret),
                        resume.asked() ? Boolean.FALSE : null);
            }
        }
        boolean sendDictionary = !dictionary.version().equals(request.dictVersion());
        this.compress = compress;
        // The session keeps sys and user only, compact; the tree is dropped.
        handshakeJson = gate.sharedHandshakes().share(request.toJson());
        request = null;
        state = State.AWAIT_ACK;
        ByteBuf body = gate.handshakeAnswers().accepted(ctx.alloc(), dictionary, sendDictionary,
                gate.config().serializer().name(), compress, userWithSession(verdict.user(), session), session);
        ctx.writeAndFlush(new PomeloPackage(PackageType.HANDSHAKE, body));
    }

    /**
     * The answer's {@code user} with {@code session} copied in as {@code user.session}, unless the acceptor's JSON has
     * a field of that name: NetEase's Pomelo clients hand the app {@code user} alone, so this is how an unchanged one
     * learns its resume token.
     */
    private static JsonNode userWithSession(JsonNode user, JsonNode session) {
        if (session == null || (user != null && !user.isNull() && !user.isObject())
                || (user != null && user.has(SESSION_FIELD))) {
            return user;
        }
        ObjectNode copy = user == null || user.isNull()
                ? Json.MAPPER.createObjectNode() : ((ObjectNode) user).deepCopy();
        copy.set(SESSION_FIELD, session);
        return copy;
    }

    private void establish(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            // An ack a decoder hands on while the connection closes: the close has run, so nothing would end a
            // session made now, and it would stay in the channel map for good.
            return;
        }
        if (resume.session() != null) {
            establishResumed(ctx, resume.session());
            return;
        }
        state = State.ESTABLISHED;
        DefaultSession session = new DefaultSession(sessionId, ctx.channel(), handshakeJson, transport, protocol,
                gate.config().serializer(), gate.metrics(), dictionary, compress, gate.users(), gate.parked(),
                resumeSecret);
        handshakeJson = null;
        if (acceptance.userId() != null) {
            // The acceptor vouches for the user id; the gate's state listener logs it in where there is a directory.
            session.userIdBound(acceptance.userId());
        }
        ctx.channel().attr(DefaultSession.KEY).set(session);
        gate.channelMap().add(session);
        ctx.pipeline().fireUserEventTriggered(GateEvents.ESTABLISHED);
        leave(ctx);
        gate.stateListener().connected(session);
        ResumeRefusal refusal = resume.refusal();
        if (refusal != null) {
            gate.stateListener().notResumed(session, refusal);
        }
    }

    /** The ack of a resuming handshake: the session moves here and gets what it missed, then serves as before. */
    private void establishResumed(ChannelHandlerContext ctx, DefaultSession session) {
        handshakeJson = null;
        long replayed = session.attach(ctx.channel(), resume.received());
        if (replayed < 0) {
            Kicks.kick(ctx.channel(), KickCode.RESUME_FAILED, KickReasons.RESUME_FAILED, gate.metrics());
            return;
        }
        state = State.ESTABLISHED;
        ctx.channel().attr(DefaultSession.KEY).set(session);
        ctx.pipeline().fireUserEventTriggered(GateEvents.ESTABLISHED);
        leave(ctx);
        gate.parked().resumed(session, replayed);
    }

    /**
     * The session is established: this handler leaves the pipeline with everything it held, and the session handler
     * takes the packages that may still come (idle connections are counted in the hundred thousands).
     */
    private void leave(ChannelHandlerContext ctx) {
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }
}
