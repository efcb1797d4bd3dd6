package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickReasons;
import io.switchboard.protocol.BodyTooLargeException;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.HandshakeTooLargeException;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.domi.DomiEvents;
import io.switchboard.protocol.domi.DomiFrame;
import io.switchboard.protocol.domi.DomiFrameDecoder;
import io.switchboard.protocol.domi.DomiFrameEncoder;
import io.switchboard.protocol.domi.DomiFrameLayout;
import io.switchboard.protocol.domi.DomiProtocolException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Lets a DOMI connection be served by the same handshake, heartbeat and session handlers as a Pomelo one, by
 * translating DOMI frames to the Pomelo packages and messages they stand for, and back:
 * <ul>
 *   <li>hello (the first frame; data = handshake JSON, empty for {@code {"sys":{"type":"domi"}}}) ⇄ the handshake
 *       and its answer (with the route dictionary); an accepted answer stands for the client's handshake-ack too;</li>
 *   <li>heartbeat ⇄ heartbeat; a kick package → kick;</li>
 *   <li>frameType ≥ 50 = a route code of the session's dictionary → a request when the extend holds a 4-byte request
 *       id (kept in the message id's upper half with the code, so the response knows both), a notify when it is
 *       empty;</li>
 *   <li>a response → frameType = the request's route code, extend = its request id (an error: frameType
 *       {@value DomiEvents#ERROR}); a push → frameType = the route's code, extend empty (a route without a code:
 *       {@value DomiEvents#NAMED_PUSH} with the route in the extend).</li>
 * </ul>
 * Pomelo packages written as bytes (heartbeats, kicks, pushes a cluster encoded) are translated too; bytes that
 * already are a DOMI frame (first byte 0: fan-out encodes them once per room) pass through. DOMI sessions do not
 * resume and never compress bodies.
 */
final class DomiTranslator extends ChannelDuplexHandler {
    private static final byte[] DEFAULT_HELLO = "{\"sys\":{\"type\":\"domi\"}}".getBytes(StandardCharsets.UTF_8);
    private static final long REQUEST_ID_MASK = 0xFFFF_FFFFL;
    private static final int CODE_SHIFT = 32;

    private final GateContext gate;
    private boolean helloSeen;

    DomiTranslator(GateContext gate) {
        this.gate = gate;
    }

    /** The DOMI decoder's cap: the larger body cap and a header and request id, below 16 MiB so 0 stays first. */
    static int maxFrameLength(GateConfig config) {
        return capped((long) Math.max(config.maxBodyLength(), config.maxHandshakeLength())
                + DomiFrameLayout.HEADER_LENGTH + DomiEvents.REQUEST_ID_LENGTH);
    }

    /** The cap of the first frame, the hello: the handshake cap and a header. */
    static int maxHelloLength(GateConfig config) {
        return capped((long) config.maxHandshakeLength() + DomiFrameLayout.HEADER_LENGTH);
    }

    private static int capped(long length) {
        return (int) Math.min(length, DomiFrameLayout.DETECTABLE_LENGTH_LIMIT - 1);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DomiFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ctx.fireChannelRead(inbound(ctx, frame));
        } finally {
            frame.release();
        }
    }

    /** What {@code frame} stands for; retains what it passes on. */
    private Object inbound(ChannelHandlerContext ctx, DomiFrame frame) {
        int type = frame.frameType();
        if (!helloSeen) {
            if (type != DomiEvents.HELLO) {
                throw new DomiProtocolException("the first frame must be a hello (" + DomiEvents.HELLO + "), not "
                        + type);
            }
            helloSeen = true;
            int length = frame.data().readableBytes();
            if (length > gate.config().maxHandshakeLength()) {
                throw new HandshakeTooLargeException(length, gate.config().maxHandshakeLength());
            }
            ByteBuf json = length == 0 ? Unpooled.wrappedBuffer(DEFAULT_HELLO) : frame.data().retain();
            return new PomeloPackage(PackageType.HANDSHAKE, json);
        }
        if (type == DomiEvents.HEARTBEAT) {
            return PomeloPackage.empty(PackageType.HEARTBEAT);
        }
        if (type == DomiEvents.HELLO) {
            throw new DomiProtocolException(KickReasons.DUPLICATE_HANDSHAKE);
        }
        if (!DomiEvents.sentByClients(type)) {
            throw new DomiProtocolException("reserved frameType " + type + " is not one a client may send");
        }
        DefaultSession session = DefaultSession.of(ctx.channel());
        if (session == null) {
            throw new DomiProtocolException(KickReasons.DATA_BEFORE_HANDSHAKE);
        }
        String route = session.dictionary().routeOf(type);
        if (route == null) {
            throw new DomiProtocolException("unknown route code " + type);
        }
        int length = frame.data().readableBytes();
        if (length > gate.config().maxBodyLength()) {
            throw new BodyTooLargeException(length, gate.config().maxBodyLength());
        }
        byte[] extend = frame.extend();
        if (extend.length == 0) {
            return PomeloMessage.notify(route, frame.data().retain());
        }
        if (extend.length != DomiEvents.REQUEST_ID_LENGTH) {
            throw new DomiProtocolException("extend must be empty (notify) or a " + DomiEvents.REQUEST_ID_LENGTH
                    + "-byte request id (request), not " + extend.length + " bytes");
        }
        long requestId = Unpooled.wrappedBuffer(extend).getUnsignedInt(0);
        return PomeloMessage.request(((long) type << CODE_SHIFT) | requestId, route, frame.data().retain());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof PomeloPackage pkg && pkg.type() == PackageType.HANDSHAKE) {
            boolean accepted = accepted(pkg.content());
            ctx.write(new DomiFrame(DomiEvents.HELLO, pkg.content()), promise);
            if (accepted) {
                // Frames past the hello's cap only from a client the gate accepted.
                DomiFrameDecoder decoder = ctx.pipeline().get(DomiFrameDecoder.class);
                if (decoder != null) {
                    decoder.lift();
                }
                // A DOMI client has no ack to send: its hello answered, the session starts (state set before the write).
                // The read is completed too, or the heartbeat handler would wait for the end of a batch never sent.
                ctx.fireChannelRead(PomeloPackage.empty(PackageType.HANDSHAKE_ACK));
                ctx.fireChannelReadComplete();
            }
            return;
        }
        Object out;
        if (msg instanceof PomeloPackage pkg) {
            out = fromPackage(pkg.type(), pkg.content());
        } else if (msg instanceof PomeloMessage message) {
            out = fromMessage(message, dictionary(ctx));
        } else if (msg instanceof ByteBuf bytes && bytes.isReadable()
                && !DomiFrameLayout.startsFrame(bytes.getUnsignedByte(bytes.readerIndex()))) {
            out = fromPackageBytes(ctx.alloc(), bytes, dictionary(ctx));
        } else {
            out = msg;
        }
        ctx.write(out, promise);
    }

    private RouteDictionary dictionary(ChannelHandlerContext ctx) {
        DefaultSession session = DefaultSession.of(ctx.channel());
        return session != null ? session.dictionary() : gate.dictionary().get();
    }

    private static boolean accepted(ByteBuf answer) {
        try {
            return Json.MAPPER.readTree(ByteBufUtil.getBytes(answer)).path("code").asInt()
                    == HandshakeResponse.CODE_OK;
        } catch (IOException e) {
            return false;
        }
    }

    /** The frame for a package the gate wrote; takes ownership of {@code body}. */
    private static DomiFrame fromPackage(PackageType type, ByteBuf body) {
        return switch (type) {
            case HEARTBEAT -> {
                body.release();
                yield DomiFrame.empty(DomiEvents.HEARTBEAT);
            }
            case KICK -> new DomiFrame(DomiEvents.KICK, body);
            case HANDSHAKE -> new DomiFrame(DomiEvents.HELLO, body);
            default -> {
                body.release();
                throw new IllegalStateException("the gate does not write " + type + " packages as objects");
            }
        };
    }

    /** The frame for an encoded Pomelo package (one, whole); releases {@code pkg}. */
    private static DomiFrame fromPackageBytes(ByteBufAllocator alloc, ByteBuf pkg, RouteDictionary dictionary) {
        try {
            int at = pkg.readerIndex();
            PackageType type = PackageType.fromCode(pkg.getUnsignedByte(at + PackageHeader.TYPE_OFFSET));
            ByteBuf body = pkg.slice(at + PackageHeader.HEADER_LENGTH,
                    pkg.readableBytes() - PackageHeader.HEADER_LENGTH);
            if (type == PackageType.DATA) {
                return fromMessage(PomeloMessageCodec.decode(alloc, body, dictionary, Integer.MAX_VALUE, true),
                        dictionary);
            }
            if (type == null) {
                throw new IllegalStateException("not a Pomelo package: " + ByteBufUtil.hexDump(pkg, at, 1));
            }
            return fromPackage(type, body.retain());
        } finally {
            pkg.release();
        }
    }

    /** The frame for a response or push; takes ownership of {@code message}. */
    private static DomiFrame fromMessage(PomeloMessage message, RouteDictionary dictionary) {
        ByteBuf body = message.content();
        if (message.type() == MessageType.PUSH) {
            return push(message.route(), body, dictionary);
        }
        if (message.type() != MessageType.RESPONSE) {
            message.release();
            throw new IllegalStateException("the gate does not send " + message.type() + " messages");
        }
        long id = message.id();
        byte[] requestId = new byte[DomiEvents.REQUEST_ID_LENGTH];
        Unpooled.wrappedBuffer(requestId).setInt(0, (int) (id & REQUEST_ID_MASK));
        int code = message.isError() ? DomiEvents.ERROR : (int) (id >>> CODE_SHIFT);
        return new DomiFrame(code, body, requestId);
    }

    /** A push: the route's code with an empty extend, or a named push when the route has no code. */
    private static DomiFrame push(String route, ByteBuf body, RouteDictionary dictionary) {
        int code = dictionary == null ? 0 : dictionary.codeOf(route);
        return code != 0 ? new DomiFrame(code, body)
                : new DomiFrame(DomiEvents.NAMED_PUSH, body, route.getBytes(StandardCharsets.UTF_8));
    }

    /** A push encoded once for every DOMI session with {@code dictionary} (room broadcasts). */
    static ByteBuf encodePush(ByteBufAllocator alloc, String route, byte[] body, RouteDictionary dictionary) {
        DomiFrame frame = push(route, Unpooled.wrappedBuffer(body), dictionary);
        try {
            return DomiFrameEncoder.encode(alloc, frame.frameType(), frame.data(), frame.extend());
        } finally {
            frame.release();
        }
    }
}
