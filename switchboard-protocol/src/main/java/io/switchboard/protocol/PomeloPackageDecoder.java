package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits a byte stream into {@link PomeloPackage}s. The type byte is checked as soon as it arrives and the
 * length as soon as the header is complete, so a bad or oversized package is refused before its body is
 * buffered. After a failure the decoder discards everything that follows: the connection is being closed.
 */
public class PomeloPackageDecoder extends ByteToMessageDecoder {
    private final int maxBodyLength;
    private boolean failed;

    public PomeloPackageDecoder() {
        this(PackageHeader.MAX_BODY_LENGTH);
    }

    /** @param maxBodyLength the largest body accepted, at most 2^24 − 1 */
    public PomeloPackageDecoder(int maxBodyLength) {
        if (maxBodyLength < 0 || maxBodyLength > PackageHeader.MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("maxBodyLength must be 0.." + PackageHeader.MAX_BODY_LENGTH);
        }
        this.maxBodyLength = maxBodyLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            int start = in.readerIndex();
            int typeCode = in.getUnsignedByte(start + PackageHeader.TYPE_OFFSET);
            PackageType type = PackageType.fromCode(typeCode);
            if (type == null) {
                fail(in);
                throw new PomeloProtocolException("unknown package type " + typeCode);
            }
            if (in.readableBytes() < PackageHeader.HEADER_LENGTH) {
                return;
            }
            int length = in.getUnsignedMedium(start + PackageHeader.LENGTH_OFFSET);
            if (length > maxBodyLength) {
                fail(in);
                throw new BodyTooLargeException(length, maxBodyLength);
            }
            if (in.readableBytes() < PackageHeader.HEADER_LENGTH + length) {
                return;
            }
            in.skipBytes(PackageHeader.HEADER_LENGTH);
            out.add(new PomeloPackage(type, in.readRetainedSlice(length)));
        }
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
