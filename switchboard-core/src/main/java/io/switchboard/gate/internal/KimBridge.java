package io.switchboard.gate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.api.errors.GateErrors;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.gate.KickCode;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.kim.KimLayout;
import io.switchboard.protocol.kim.KimOpCode;
import io.switchboard.protocol.kim.KimProtocolException;
import io.switchboard.protocol.kim.LogicPacket;
import io.switchboard.protocol.kim.proto.ErrorResp;
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.Header;
import io.switchboard.protocol.kim.proto.Meta;
import io.switchboard.protocol.kim.proto.MetaType;
import io.switchboard.protocol.kim.proto.Status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Puts a logged-in KIM client in front of the same session handler, dispatcher and pushes as a Pomelo client. A
 * logic packet (flag request) becomes a Pomelo request: {@code command} is the route, {@code sequence} the id. A
 * response goes back with the request's header (command, channel, dest, sequence), flag response and a status; a
 * push is a logic packet with flag push and the route as command. Error responses map the framework's codes:
 * <ul>
 *   <li>{@code ROUTE_NOT_FOUND}, {@code BAD_ROUTE} → {@code InvalidCommand} (103), and the connection closes after it;
 *   <li>{@code BAD_BODY} → {@code InvalidPacketBody} (101);
 *   <li>any other code → {@code SystemException} (500);
 * </ul>
 * and carry the framework's code in meta {@code code} (type int) and its message in an {@code ErrorResp} body.
 * Buffers written to the connection pass if they are KIM packets (pushes a fan-out encoded once); others (the
 * Pomelo kick package {@link Kicks} sends before closing) are dropped: KIM has no such packet. All on the event loop.
 */
final class KimBridge extends ChannelDuplexHandler {
    static final String META_CODE = "code";
    /**
     * Requests a connection may have unanswered: a KIM response needs its request's header, kept here until the answer,
     * so the table is capped; past it a request is answered {@code TOO_MANY_PENDING} at once and not run.
     */
    static final int MAX_UNANSWERED = 1024;
    /**
     * The headers kept for those answers, in serialized bytes: a header may be 8 KiB of command, channel and dest, so
     * the count alone would let one connection hold 8 MiB; past this a request is answered as past the count.
     */
    static final int MAX_UNANSWERED_BYTES = 128 * 1024;

    private final GateContext gate;
    /**
     * What the answers of requests not yet answered need of their headers ({@link LogicPacket#answerable}), by
     * sequence; as many as the dispatcher lets a session have.
     */
    final Map<Integer, Header> pending = new HashMap<>();
    /** The serialized size of the headers in {@link #pending}. */
    private int pendingBytes;

    KimBridge(GateContext gate) {
        this.gate = gate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        if (msg == KimOpCode.CLOSE) {
            Kicks.close(ctx.channel(), CloseReason.CLIENT_SAID_GOODBYE);
            return;
        }
        if (!(msg instanceof LogicPacket packet)) {
            ReferenceCountUtil.release(msg); // a pong, or a basic packet of another code: nothing to do
            return;
        }
        Header header = packet.header();
        if (header.getFlag() != Flag.Request) {
            throw new KimProtocolException("KIM clients send requests only, not " + header.getFlag());
        }
        if (LogicPacket.LOGIN_SIGN_IN.equals(header.getCommand())) {
            throw new KimProtocolException("duplicate KIM login");
        }
        Header kept = LogicPacket.answerable(header);
        int size = kept.getSerializedSize();
        if (!pending.containsKey(header.getSequence())
                && (pending.size() >= MAX_UNANSWERED || pendingBytes + size > MAX_UNANSWERED_BYTES)) {
            byte[] body = Json.errorBody(GateErrors.TOO_MANY_PENDING.code(), GateErrors.TOO_MANY_PENDING.message())
                    .toString().getBytes(StandardCharsets.UTF_8);
            ctx.writeAndFlush(error(header, body));
            return;
        }
        Header replaced = pending.put(header.getSequence(), kept);
        pendingBytes += size - (replaced == null ? 0 : replaced.getSerializedSize());
        ctx.fireChannelRead(PomeloMessage.request(Integer.toUnsignedLong(header.getSequence()), header.getCommand(),
                Unpooled.wrappedBuffer(packet.body())));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws IOException {
        if (msg instanceof PomeloMessage message) {
            try {
                if (message.type() == MessageType.PUSH) {
                    ctx.write(LogicPacket.push(message.route(), ByteBufUtil.getBytes(message.content())), promise);
                } else if (message.type() == MessageType.RESPONSE) {
                    respond(ctx, message, promise);
                } else {
                    promise.setSuccess();
                }
            } finally {
                message.release();
            }
        } else if (msg instanceof ByteBuf buf && !isKimPacket(buf)) {
            buf.release();
            promise.setSuccess();
        } else {
            ctx.write(msg, promise);
        }
    }

    private static boolean isKimPacket(ByteBuf buf) {
        return buf.isReadable() && buf.getUnsignedByte(buf.readerIndex()) == KimLayout.MAGIC_FIRST_BYTE;
    }

    private void respond(ChannelHandlerContext ctx, PomeloMessage message, ChannelPromise promise) throws IOException {
        int sequence = (int) message.id();
        Header request = pending.remove(sequence);
        if (request == null) {
            request = Header.newBuilder().setSequence(sequence).build();
        } else {
            pendingBytes -= request.getSerializedSize();
        }
        byte[] body = ByteBufUtil.getBytes(message.content());
        if (!message.isError()) {
            ctx.write(LogicPacket.response(request, Status.Success, body), promise);
            return;
        }
        LogicPacket answer = error(request, body);
        ctx.write(answer, promise);
        if (answer.header().getStatus() == Status.InvalidCommand) {
            String reason = "unknown KIM command: " + request.getCommand();
            gate.metrics().protocolError();
            ctx.flush();
            ctx.channel().eventLoop().execute(() ->
                    Kicks.close(ctx.channel(), KickCode.BAD_PACKAGE, reason, gate.metrics()));
        }
    }

    /** The KIM answer to {@code request} for a framework error body {@code {"code":..,"msg":..}}. */
    private static LogicPacket error(Header request, byte[] jsonBody) throws IOException {
        JsonNode error = Json.MAPPER.readTree(jsonBody);
        long code = error.path("code").asLong();
        Header header = LogicPacket.response(request, statusOf(code), new byte[0]).header().toBuilder()
                .addMeta(Meta.newBuilder().setKey(META_CODE).setValue(Long.toString(code)).setType(MetaType.META_INT))
                .build();
        return new LogicPacket(header, ErrorResp.newBuilder().setMessage(error.path("msg").asText()).build()
                .toByteArray());
    }

    /** KIM's status for a framework error code (see the class comment). */
    static Status statusOf(long code) {
        if (code == HandlerErrors.ROUTE_NOT_FOUND.code() || code == HandlerErrors.BAD_ROUTE.code()) {
            return Status.InvalidCommand;
        }
        return code == HandlerErrors.BAD_BODY.code() ? Status.InvalidPacketBody : Status.SystemException;
    }
}
