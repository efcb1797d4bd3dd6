package io.switchboard.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.switchboard.protocol.HandshakeRequest;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloPackageEncoder;
import io.switchboard.protocol.PomeloProtocolException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The whole baseline application for one connection: handshake, heartbeat replies and the demo routes,
 * written the plainest way Netty allows. Everything runs on the connection's event loop. Replies are
 * flushed once per read batch; a room message is encoded once, written to every member, and the members
 * are flushed once per read batch too, so messages that arrive together leave together: Netty's usual
 * write-then-flush-on-read-complete, applied to the fan-out.
 */
final class BaselineHandler extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<String> NAME = AttributeKey.valueOf("baseline.name");
    private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) PackageType.HEARTBEAT.code(), 0, 0, 0}).asReadOnly());
    private static final int MAX_BODY = 1 << 20;

    private final BaselineRooms rooms;
    private final int heartbeatSeconds;
    private boolean handshaken;
    private boolean acked;
    private BaselineRooms.Room room;
    /** Joined quietly: leaves quietly too. */
    private boolean quiet;
    private boolean dirty;
    private Channel[] unflushedMembers;

    BaselineHandler(BaselineRooms rooms, int heartbeatSeconds) {
        this.rooms = rooms;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PomeloPackage pkg = (PomeloPackage) msg;
        try {
            switch (pkg.type()) {
                case HANDSHAKE -> handshake(ctx, pkg.content());
                case HANDSHAKE_ACK -> {
                    acked = handshaken;
                    write(ctx, HEARTBEAT.duplicate());
                }
                case HEARTBEAT -> write(ctx, HEARTBEAT.duplicate());
                case DATA -> {
                    if (acked) {
                        data(ctx, pkg.content());
                    }
                }
                default -> ctx.close();
            }
        } finally {
            pkg.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (dirty) {
            dirty = false;
            ctx.flush();
        }
        flushMembers();
    }

    private void flushMembers() {
        if (unflushedMembers != null) {
            for (Channel member : unflushedMembers) {
                member.flush();
            }
            unflushedMembers = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (room != null) {
            leave(ctx);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void handshake(ChannelHandlerContext ctx, ByteBuf body) {
        byte[] reply;
        try {
            byte[] json = new byte[body.readableBytes()];
            body.getBytes(body.readerIndex(), json);
            HandshakeRequest request = HandshakeRequest.parse(json);
            boolean sendDict = !DemoRoutes.DICTIONARY.version().equals(request.dictVersion());
            reply = HandshakeResponse.accepted(heartbeatSeconds, DemoRoutes.DICTIONARY, sendDict, "json", false, null);
            handshaken = true;
        } catch (PomeloProtocolException e) {
            reply = HandshakeResponse.refused(HandshakeResponse.CODE_BAD_HANDSHAKE);
        }
        ByteBuf out = ctx.alloc().ioBuffer(PackageHeader.HEADER_LENGTH + reply.length);
        PomeloPackageEncoder.writeHeader(out, PackageType.HANDSHAKE, reply.length);
        out.writeBytes(reply);
        if (handshaken) {
            write(ctx, out);
        } else {
            ctx.writeAndFlush(out).addListener(f -> ctx.close());
        }
    }

    private void data(ChannelHandlerContext ctx, ByteBuf content) {
        PomeloMessage msg = PomeloMessageCodec.decode(ctx.alloc(), content.duplicate(), DemoRoutes.DICTIONARY, MAX_BODY);
        try {
            switch (msg.route()) {
                case DemoRoutes.ECHO_SAY, DemoRoutes.ECHO_SAY_ON_WORKERS, DemoRoutes.ECHO_SAY_BYTES_ON_WORKERS -> reply(ctx, PomeloMessage.response(msg.id(), msg.content()));
                case DemoRoutes.ECHO_TELL -> reply(ctx, PomeloMessage.push(DemoRoutes.ON_TELL, msg.content()));
                case DemoRoutes.ROOM_JOIN -> join(ctx, msg);
                case DemoRoutes.ROOM_SAY -> say(ctx, msg.content());
                case DemoRoutes.ROOM_LEAVE -> {
                    if (room != null) {
                        leave(ctx);
                    }
                    respond(ctx, msg.id(), Json.MAPPER.createObjectNode().put("code", 200), false);
                }
                default -> {
                    if (msg.id() != 0) {
                        respond(ctx, msg.id(), Json.errorBody(404, "no route " + msg.route()), true);
                    }
                }
            }
        } finally {
            msg.release();
        }
    }

    private void join(ChannelHandlerContext ctx, PomeloMessage msg) {
        JsonNode body = parse(msg.content());
        String name = body.path("name").asText("");
        Channel self = ctx.channel();
        if (room != null) {
            leave(ctx);
        }
        self.attr(NAME).set(name);
        room = rooms.join(body.path("room").asText(""), self);
        ObjectNode response = Json.MAPPER.createObjectNode().put("code", 200);
        quiet = body.path("quiet").asBoolean(false);
        if (quiet) { // as the demo: nobody told, the answer is the count
            respond(ctx, msg.id(), response.put("size", room.members().length), false);
            return;
        }
        ArrayNode members = response.putArray("members");
        for (Channel member : room.members()) {
            members.add(member.attr(NAME).get());
        }
        respond(ctx, msg.id(), response, false);
        send(ctx, DemoRoutes.ON_JOIN, Json.MAPPER.createObjectNode().put("name", name), room.members(), self, true);
    }

    private void say(ChannelHandlerContext ctx, ByteBuf content) {
        if (room == null) {
            return;
        }
        ObjectNode chat = Json.MAPPER.createObjectNode();
        chat.put("from", ctx.channel().attr(NAME).get());
        chat.put("text", parse(content).path("text").asText(""));
        Channel[] members = room.members();
        if (unflushedMembers != members) {
            flushMembers(); // the room changed within one read batch
        }
        send(ctx, DemoRoutes.ON_CHAT, chat, members, null, false);
        unflushedMembers = members;
    }

    private void leave(ChannelHandlerContext ctx) {
        BaselineRooms.Room left = room;
        room = null;
        rooms.leave(left, ctx.channel());
        if (quiet) {
            return;
        }
        send(ctx, DemoRoutes.ON_LEAVE, Json.MAPPER.createObjectNode().put("name", ctx.channel().attr(NAME).get()),
                left.members(), null, true);
    }

    /** Encodes the push once; every member gets a retained duplicate of the same bytes. */
    private static void send(ChannelHandlerContext ctx, String route, JsonNode body, Channel[] members,
                             Channel except, boolean flush) {
        ByteBuf encoded = encode(ctx, PomeloMessage.push(route, json(body)));
        try {
            for (Channel member : members) {
                if (member != except) {
                    if (flush) {
                        member.writeAndFlush(encoded.retainedDuplicate(), member.voidPromise());
                    } else {
                        member.write(encoded.retainedDuplicate(), member.voidPromise());
                    }
                }
            }
        } finally {
            encoded.release();
        }
    }

    private void respond(ChannelHandlerContext ctx, long id, JsonNode body, boolean error) {
        ByteBuf content = json(body);
        write(ctx, encode(ctx, error ? PomeloMessage.errorResponse(id, content) : PomeloMessage.response(id, content)));
    }

    /** Encodes a message whose body is borrowed: the caller keeps (and releases) it. */
    private void reply(ChannelHandlerContext ctx, PomeloMessage reply) {
        write(ctx, PomeloMessageCodec.encodePackage(ctx.alloc(), reply, DemoRoutes.DICTIONARY, false));
    }

    /** Encodes a message that owns its body, and releases it. */
    private static ByteBuf encode(ChannelHandlerContext ctx, PomeloMessage msg) {
        try {
            return PomeloMessageCodec.encodePackage(ctx.alloc(), msg, DemoRoutes.DICTIONARY, false);
        } finally {
            msg.release();
        }
    }

    private void write(ChannelHandlerContext ctx, ByteBuf out) {
        ctx.write(out, ctx.voidPromise());
        dirty = true;
    }

    private static JsonNode parse(ByteBuf body) {
        try {
            return Json.MAPPER.readTree(new ByteBufInputStream(body.duplicate()));
        } catch (IOException e) {
            throw new PomeloProtocolException("body is not JSON");
        }
    }

    private static ByteBuf json(JsonNode node) {
        return Unpooled.wrappedBuffer(node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
