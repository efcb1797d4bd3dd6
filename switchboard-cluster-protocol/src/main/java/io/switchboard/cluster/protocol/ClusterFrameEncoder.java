package io.switchboard.cluster.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.switchboard.cluster.protocol.internal.Crc32c;

import java.util.List;
import java.util.zip.CRC32C;

import static io.switchboard.cluster.protocol.ClusterFrameLayout.CRC_LENGTH;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.FRAME_OVERHEAD;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.HEAD;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.HEADER_LENGTH;

/**
 * Writes {@link ClusterFrame}s as bytes: head, len, header fields, data and CRC32C.
 *
 * <p>Small frames are copied into one buffer, which is cheaper to write than several. From
 * {@link #COPY_THRESHOLD} bytes of data on, the data is not copied: the frame goes out as a composite of a
 * header buffer, the data itself and a crc buffer. Frames above the maximum are refused with an
 * {@link EncoderException}, since the peer's decoder would refuse them and drop the link.
 */
@Sharable
public class ClusterFrameEncoder extends MessageToMessageEncoder<ClusterFrame> {
    /** Data at least this long is sent without copying. */
    public static final int COPY_THRESHOLD = 4096;

    private final int maxFrameLength;

    /** An encoder for frames up to {@link ClusterFrameLayout#DEFAULT_MAX_FRAME_LENGTH} bytes. */
    public ClusterFrameEncoder() {
        this(DEFAULT_MAX_FRAME_LENGTH);
    }

    /** @param maxFrameLength the largest whole frame written, head to crc; match the peer's decoder */
    public ClusterFrameEncoder(int maxFrameLength) {
        super(ClusterFrame.class);
        if (maxFrameLength < FRAME_OVERHEAD) {
            throw new IllegalArgumentException("maxFrameLength must be at least " + FRAME_OVERHEAD + ": "
                    + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ClusterFrame frame, List<Object> out) {
        ByteBuf data = frame.content();
        int dataLength = data.readableBytes();
        long frameLength = FRAME_OVERHEAD + (long) dataLength;
        if (frameLength > maxFrameLength) {
            throw new EncoderException("cluster frame of " + frameLength + " bytes > max " + maxFrameLength);
        }
        ByteBufAllocator alloc = ctx.alloc();
        if (dataLength < COPY_THRESHOLD) {
            out.add(encodeCopied(alloc, frame, data, (int) frameLength));
        } else {
            out.add(encodeComposite(alloc, frame, data));
        }
    }

    private static ByteBuf encodeCopied(ByteBufAllocator alloc, ClusterFrame frame, ByteBuf data, int frameLength) {
        ByteBuf buf = alloc.ioBuffer(frameLength);
        try {
            writeHeader(buf, frame, data.readableBytes());
            buf.writeBytes(data, data.readerIndex(), data.readableBytes());
            writeCrc(buf, buf.readerIndex());
            return buf;
        } catch (Throwable t) {
            buf.release();
            throw t;
        }
    }

    private static ByteBuf encodeComposite(ByteBufAllocator alloc, ClusterFrame frame, ByteBuf data) {
        ByteBuf header = alloc.ioBuffer(HEADER_LENGTH);
        ByteBuf trailer;
        try {
            writeHeader(header, frame, data.readableBytes());
            CRC32C crc = new CRC32C();
            Crc32c.update(crc, header, header.readerIndex(), header.readableBytes());
            Crc32c.update(crc, data, data.readerIndex(), data.readableBytes());
            trailer = alloc.ioBuffer(CRC_LENGTH).writeInt((int) crc.getValue());
        } catch (Throwable t) {
            header.release();
            throw t;
        }
        // The composite owns its components from here (and releases them itself should adding fail).
        return alloc.compositeBuffer(3).addComponents(true, header, data.retain(), trailer);
    }

    private static void writeHeader(ByteBuf buf, ClusterFrame frame, int dataLength) {
        writeHeader(buf, frame.version(), frame.serviceId(), frame.appId(), frame.sessionId(), dataLength);
    }

    /**
     * Writes a frame's header, head to session id, for {@code dataLength} bytes of data to follow; for an encoder that
     * writes its data straight behind it (see {@link EnvelopeEncoder}) rather than handing a {@link ClusterFrame} here.
     */
    static void writeHeader(ByteBuf buf, int version, int serviceId, long appId, long sessionId, int dataLength) {
        buf.writeShort(HEAD)
                .writeInt((int) ClusterFrameLayout.lengthFieldValue(dataLength))
                .writeShort(version)
                .writeShort(serviceId)
                .writeInt((int) appId)
                .writeInt((int) sessionId);
    }

    /** Ends the frame that starts at {@code frameStart} and runs to the writer index with its CRC32C. */
    static void writeCrc(ByteBuf buf, int frameStart) {
        buf.writeInt(Crc32c.checksum(buf, frameStart, buf.writerIndex() - frameStart));
    }
}
