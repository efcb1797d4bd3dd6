package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link PomeloPackage} as {@code [type][length:3][body]}: one output buffer per package, into which a small
 * body is copied; a large direct body (a handshake answer with its dictionary, a big push) is not copied but leaves
 * behind its header as one composite buffer, which the channel writes with one gathering write.
 */
@ChannelHandler.Sharable
public class PomeloPackageEncoder extends MessageToByteEncoder<PomeloPackage> {
    /** The body length from which a copy costs more than a gathering write (Netty's WebSocket encoder's too). */
    public static final int GATHERING_THRESHOLD = 1024;

    public PomeloPackageEncoder() {
        super(PomeloPackage.class);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof PomeloPackage pkg && gathers(pkg.content())) {
            ByteBuf out;
            try {
                out = encode(ctx.alloc(), pkg.type(), pkg.content());
            } catch (RuntimeException e) {
                throw new EncoderException(e); // as the copying path below fails
            } finally {
                pkg.release();
            }
            ctx.write(out, promise);
            return;
        }
        super.write(ctx, msg, promise);
    }

    /** Whether a body goes out behind its header uncopied rather than copied behind it. */
    private static boolean gathers(ByteBuf body) {
        return body.readableBytes() >= GATHERING_THRESHOLD && body.isDirect();
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, PomeloPackage msg, boolean preferDirect) {
        int size = PackageHeader.HEADER_LENGTH + msg.content().readableBytes();
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PomeloPackage msg, ByteBuf out) {
        writeHeader(out, msg.type(), msg.content().readableBytes());
        out.writeBytes(msg.content(), msg.content().readerIndex(), msg.content().readableBytes());
    }

    /**
     * A {@code type} package of {@code body} (not consumed) in one new I/O buffer, or, for a large direct body, a
     * composite of a header and the body retained; for a writer that is not this handler. Refuses a body the 3-byte
     * length cannot describe before allocating anything.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, PackageType type, ByteBuf body) {
        int length = body.readableBytes();
        if (length > PackageHeader.MAX_BODY_LENGTH) {
            throw new BodyTooLargeException(length, PackageHeader.MAX_BODY_LENGTH);
        }
        if (gathers(body)) {
            ByteBuf header = alloc.ioBuffer(PackageHeader.HEADER_LENGTH);
            writeHeader(header, type, length);
            return alloc.compositeDirectBuffer(2).addComponents(true, header, body.retain());
        }
        ByteBuf out = alloc.ioBuffer(PackageHeader.HEADER_LENGTH + length);
        writeHeader(out, type, length);
        return out.writeBytes(body, body.readerIndex(), length);
    }

    /** Writes a package header; refuses a body the 3-byte length cannot describe. */
    public static void writeHeader(ByteBuf out, PackageType type, int bodyLength) {
        if (bodyLength > PackageHeader.MAX_BODY_LENGTH) {
            throw new BodyTooLargeException(bodyLength, PackageHeader.MAX_BODY_LENGTH);
        }
        out.writeByte(type.code());
        out.writeMedium(bodyLength);
    }
}
