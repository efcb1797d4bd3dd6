package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.switchboard.protocol.BodyTooLargeException;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloPackageEncoder;

/**
 * A Pomelo connection's messages and packages, in one handler for the whole gate: data packages become
 * {@link PomeloMessage}s and messages become data packages with the route dictionary and compression the handshake
 * chose, which the {@link DefaultSession} keeps; packages are written with their header. Until the session exists a
 * data package passes on as it is, for the handshake handler to refuse (clients send the ack before any data).
 * Compressed bodies share one inflation budget per read, the body cap, kept in the session and reset at the end of
 * each read by a handler only compressing sessions get.
 *
 * <p>One shared instance instead of a message decoder, a message encoder and a package encoder per connection: idle
 * connections are counted in the hundred thousands, and each of those handlers cost them a pipeline context.
 */
@ChannelHandler.Sharable
final class SessionMessageCodec extends ChannelDuplexHandler {
    /** The pipeline name of the handler that resets a compressing session's inflation budget per read. */
    private static final String INFLATION_BUDGET = "inflationBudget";
    private final int maxBodyLength;

    SessionMessageCodec(int maxBodyLength) {
        this.maxBodyLength = maxBodyLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DefaultSession session;
        if (!(msg instanceof PomeloPackage pkg) || pkg.type() != PackageType.DATA
                || (session = DefaultSession.of(ctx.channel())) == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        PomeloMessage message;
        try {
            message = session.compressBody() ? decodeInflating(ctx, pkg.content(), session)
                    : PomeloMessageCodec.decode(ctx.alloc(), pkg.content().duplicate(), session.dictionary(),
                            maxBodyLength, false);
        } finally {
            pkg.release();
        }
        if (message != null) {
            ctx.fireChannelRead(message);
        }
    }

    /**
     * A message of a session that negotiated compression. The compressed bodies of one read may inflate to the body
     * cap in all, not each: the package decoder hands on every package of a read, so a read of small bodies that each
     * inflate to the cap would cost the event loop that much inflating, and queue that much, before the workers'
     * budgets could pause the connection. Past it the connection ends ({@code body_too_large}), and the rest of the
     * read is dropped uninflated. Returns {@code null} for a dropped message.
     */
    private PomeloMessage decodeInflating(ChannelHandlerContext ctx, ByteBuf content, DefaultSession session) {
        if (!content.isReadable()
                || !MessageFlags.bodyCompressed(content.getUnsignedByte(content.readerIndex()))) {
            return PomeloMessageCodec.decode(ctx.alloc(), content.duplicate(), session.dictionary(), maxBodyLength,
                    true);
        }
        if (!ctx.channel().isActive()) {
            return null;
        }
        int inflated = session.inflatedThisRead;
        PomeloMessage message;
        try {
            message = PomeloMessageCodec.decode(ctx.alloc(), content.duplicate(), session.dictionary(),
                    maxBodyLength - inflated, true);
        } catch (BodyTooLargeException e) {
            throw inflated == 0 ? e
                    : new BodyTooLargeException("compressed bodies of one read", inflated + e.length(), maxBodyLength);
        }
        session.inflatedThisRead = inflated + message.content().readableBytes();
        return message;
    }

    /**
     * A session that negotiated compression gets a handler that resets its inflation budget at the end of each read;
     * the others, nearly all, pay nothing per read for it.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == GateEvents.ESTABLISHED) {
            DefaultSession session = DefaultSession.of(ctx.channel());
            if (session != null && session.compressBody() && ctx.pipeline().get(INFLATION_BUDGET) == null) {
                ctx.pipeline().addAfter(ctx.name(), INFLATION_BUDGET, InflationBudgetReset.INSTANCE);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Gives a compressing session its whole inflation budget again once a read is over. */
    @ChannelHandler.Sharable
    private static final class InflationBudgetReset extends ChannelInboundHandlerAdapter {
        static final InflationBudgetReset INSTANCE = new InflationBudgetReset();

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            DefaultSession session = DefaultSession.of(ctx.channel());
            if (session != null) {
                session.inflatedThisRead = 0;
            }
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof PomeloMessage) && !(msg instanceof PomeloPackage)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf encoded;
        try {
            encoded = msg instanceof PomeloPackage pkg
                    ? PomeloPackageEncoder.encode(ctx.alloc(), pkg.type(), pkg.content())
                    : encode(ctx, (PomeloMessage) msg);
        } catch (RuntimeException e) {
            ((ByteBufHolder) msg).release();
            promise.setFailure(new EncoderException(e));
            return;
        }
        ((ByteBufHolder) msg).release();
        ctx.write(encoded, promise);
    }

    private static ByteBuf encode(ChannelHandlerContext ctx, PomeloMessage message) {
        DefaultSession session = DefaultSession.of(ctx.channel());
        return session == null
                ? PomeloMessageCodec.encodePackage(ctx.alloc(), message, null, false)
                : PomeloMessageCodec.encodePackage(ctx.alloc(), message, session.dictionary(), session.compressBody());
    }
}
