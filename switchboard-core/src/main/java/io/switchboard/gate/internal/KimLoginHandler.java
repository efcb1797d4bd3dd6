package io.switchboard.gate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.gate.Acceptance;
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.gate.KickCode;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.kim.KimFrameDecoder;
import io.switchboard.protocol.kim.KimProtocolException;
import io.switchboard.protocol.kim.LogicPacket;
import io.switchboard.protocol.kim.proto.Header;
import io.switchboard.protocol.kim.proto.LoginReq;
import io.switchboard.protocol.kim.proto.LoginResp;
import io.switchboard.protocol.kim.proto.Meta;
import io.switchboard.protocol.kim.proto.MetaType;
import io.switchboard.protocol.kim.proto.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KIM's login in place of Pomelo's handshake: the first logic packet must be {@code login.signin} with a
 * {@code LoginReq} body. Its token goes to the gate's {@link io.switchboard.gate.Acceptor} as the handshake
 * {@code {"sys":{"type":"kim"},"user":{"token":..}}}, so an app's login runs as for Pomelo clients. Accepted: the
 * session is made and the answer is {@code LoginResp} (channelId = the session id, account = the bound user), with
 * the acceptor's {@code user} JSON in meta {@code user}. Otherwise the answer carries KIM's status (InvalidCommand
 * for another command first, InvalidPacketBody for a body that is not a LoginReq, Unauthorized for a refusal) and
 * the connection closes, as KIM's gateway does. A login body over the handshake cap is refused
 * ({@code handshake_too_large}) as a Pomelo handshake is; over TCP the frames before the login are held to the
 * login's cap, lifted once it succeeds. Nothing else is served before the login; pings are not answered and the
 * handshake deadline runs until it succeeds.
 */
final class KimLoginHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(KimLoginHandler.class);
    static final String CLIENT_TYPE = "kim";
    static final String META_USER = "user";

    private final GateContext gate;
    private final HandshakeInfo.Transport transport;
    private boolean loginSeen;

    KimLoginHandler(GateContext gate, HandshakeInfo.Transport transport) {
        this.gate = gate;
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof LogicPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (loginSeen) {
            throw new KimProtocolException("KIM packet before the login was answered");
        }
        loginSeen = true;
        Header header = packet.header();
        if (!LogicPacket.LOGIN_SIGN_IN.equals(packet.command())) {
            refuse(ctx, header, Status.InvalidCommand, "KIM's first packet must be login.signin");
            return;
        }
        if (packet.body().length > gate.config().maxHandshakeLength()) {
            // The login is KIM's handshake: its token is kept for the session's life, so it gets the handshake's cap.
            refuse(ctx, header, Status.InvalidPacketBody, KickCode.HANDSHAKE_TOO_LARGE, "KIM login body of "
                    + packet.body().length + " bytes is over the handshake cap of "
                    + gate.config().maxHandshakeLength());
            return;
        }
        LoginReq login;
        try {
            login = LoginReq.parseFrom(packet.body());
        } catch (InvalidProtocolBufferException e) {
            refuse(ctx, header, Status.InvalidPacketBody, "KIM login body is not a LoginReq");
            return;
        }
        HandshakeRequest request = handshake(login);
        HandshakeInfo info = new HandshakeInfo(request, ctx.channel().remoteAddress(), transport,
                ctx.channel()::isActive);
        gate.acceptor().accept(info).whenComplete((verdict, error) -> ctx.executor().execute(() -> {
            if (error != null) {
                log.warn("acceptor failed for {}", ctx.channel().remoteAddress(), error);
                refuse(ctx, header, Status.SystemException, "acceptor failed");
            } else if (!verdict.accepted()) {
                refuse(ctx, header, Status.Unauthorized, "login refused with code " + verdict.code());
            } else if (ctx.channel().isActive()) {
                establish(ctx, header, request, verdict);
            }
        }));
    }

    /** The handshake a Pomelo client would have sent: the token as {@code user.token} (none when empty). */
    static HandshakeRequest handshake(LoginReq login) {
        ObjectNode sys = Json.MAPPER.createObjectNode().put("type", CLIENT_TYPE).put("version", "1");
        ObjectNode user = Json.MAPPER.createObjectNode();
        if (!login.getToken().isEmpty()) {
            user.put("token", login.getToken());
        }
        return new HandshakeRequest(sys, user);
    }

    private void refuse(ChannelHandlerContext ctx, Header header, Status status, String reason) {
        refuse(ctx, header, status, KickCode.HANDSHAKE_REFUSED, reason);
    }

    private void refuse(ChannelHandlerContext ctx, Header header, Status status, KickCode code, String reason) {
        ctx.writeAndFlush(LogicPacket.response(header, status, new byte[0]));
        Kicks.close(ctx.channel(), code, reason, gate.metrics());
    }

    private void establish(ChannelHandlerContext ctx, Header header, HandshakeRequest request, Acceptance verdict) {
        DefaultSession session = new DefaultSession(gate.nextSessionId(), ctx.channel(), request.toJson(), transport,
                ClientProtocol.KIM, gate.config().serializer(), gate.metrics(), null, false, gate.users(),
                gate.parked(), null);
        if (verdict.userId() != null) {
            session.userIdBound(verdict.userId());
        }
        ctx.channel().attr(DefaultSession.KEY).set(session);
        gate.channelMap().add(session);
        LoginResp body = LoginResp.newBuilder().setChannelId(Long.toString(session.id()))
                .setAccount(verdict.userId() == null ? "" : verdict.userId()).build();
        LogicPacket answer = LogicPacket.response(header, Status.Success, body.toByteArray());
        JsonNode user = verdict.user();
        if (user != null && !user.isNull()) {
            answer = new LogicPacket(answer.header().toBuilder().addMeta(Meta.newBuilder().setKey(META_USER)
                    .setValue(user.toString()).setType(MetaType.META_STRING)).build(), answer.body());
        }
        // Established before the answer leaves: the idle clock must not start after the client has heard it.
        ctx.pipeline().fireUserEventTriggered(GateEvents.ESTABLISHED);
        KimFrameDecoder frames = ctx.pipeline().get(KimFrameDecoder.class);
        if (frames != null) {
            frames.loggedIn();
        }
        ctx.writeAndFlush(answer);
        ctx.pipeline().remove(this);
        gate.stateListener().connected(session);
    }
}
