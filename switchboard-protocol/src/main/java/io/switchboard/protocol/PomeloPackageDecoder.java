package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits a byte stream into {@link PomeloPackage}s. The type byte is checked as soon as it arrives and the
 * length as soon as the header is complete, so a bad or oversized package is refused before its body is
 * buffered; a handshake has a limit of its own (a server wants it far smaller than a message). After a failure the
 * decoder discards everything that follows: the connection is being closed.
 */
public class PomeloPackageDecoder extends ByteToMessageDecoder {
    private final int maxBodyLength;
    private final int maxHandshakeLength;
    private boolean failed;

    public PomeloPackageDecoder() {
        this(PackageHeader.MAX_BODY_LENGTH);
    }

    /** @param maxBodyLength the largest body accepted (handshakes included), at most 2^24 − 1 */
    public PomeloPackageDecoder(int maxBodyLength) {
        this(maxBodyLength, maxBodyLength);
    }

    /**
     * @param maxBodyLength      the largest body accepted, at most 2^24 − 1
     * @param maxHandshakeLength the largest handshake body accepted, at most 2^24 − 1
     */
    public PomeloPackageDecoder(int maxBodyLength, int maxHandshakeLength) {
        this.maxBodyLength = checkLimit("maxBodyLength", maxBodyLength);
        this.maxHandshakeLength = checkLimit("maxHandshakeLength", maxHandshakeLength);
    }

    private static int checkLimit(String name, int limit) {
        if (limit < 0 || limit > PackageHeader.MAX_BODY_LENGTH) {
            throw new IllegalArgumentException(name + " must be 0.." + PackageHeader.MAX_BODY_LENGTH + ": " + limit);
        }
        return limit;
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
            if (type == PackageType.HANDSHAKE && length > maxHandshakeLength) {
                fail(in);
                throw new HandshakeTooLargeException(length, maxHandshakeLength);
            }
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
