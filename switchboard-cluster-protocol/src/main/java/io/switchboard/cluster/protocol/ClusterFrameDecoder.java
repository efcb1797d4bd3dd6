package io.switchboard.cluster.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.switchboard.cluster.protocol.internal.Crc32c;

import java.util.List;
import java.util.Objects;

import static io.switchboard.cluster.protocol.ClusterFrameLayout.APP_ID_OFFSET;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.CRC_LENGTH;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.DATA_OFFSET;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.FRAME_OVERHEAD;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.HEAD;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.HEAD_LENGTH;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.HEAD_OFFSET;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.LENGTH_OFFSET;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.MIN_LENGTH_FIELD_VALUE;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.SERVICE_ID_OFFSET;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.SESSION_ID_OFFSET;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.VERSION_OFFSET;

/**
 * Splits a byte stream into {@link ClusterFrame}s and checks each one's head, length and CRC32C.
 *
 * <p>The head is checked as soon as it arrives and the length as soon as the len field does, so a corrupt or
 * oversized frame is refused before its body is buffered. A refusal notifies the {@link FrameRejectionListener}
 * and throws a {@link ClusterFrameException}; from then on the decoder discards all input, since framing is lost.
 * Closing the link is left to the handler that sees the exception, as with Netty's own decoders. Input that ends
 * inside a frame is refused as {@link FrameRejectReason#TRUNCATED} when the channel closes.
 *
 * <p>Frames' data are slices of the input, not copies: release each frame. Each call decodes one frame, which
 * {@link ByteToMessageDecoder} passes on before it calls again for the rest of the read.
 */
public class ClusterFrameDecoder extends ByteToMessageDecoder {
    private int maxFrameLength;
    private final FrameRejectionListener rejectionListener;
    private boolean failed;

    /** A decoder for frames up to {@link ClusterFrameLayout#DEFAULT_MAX_FRAME_LENGTH} bytes that counts nothing. */
    public ClusterFrameDecoder() {
        this(DEFAULT_MAX_FRAME_LENGTH, FrameRejectionListener.NOOP);
    }

    /**
     * @param maxFrameLength    the largest whole frame accepted, head to crc; at least
     *                          {@link ClusterFrameLayout#FRAME_OVERHEAD}
     * @param rejectionListener told about every refused frame
     */
    public ClusterFrameDecoder(int maxFrameLength, FrameRejectionListener rejectionListener) {
        if (maxFrameLength < FRAME_OVERHEAD) {
            throw new IllegalArgumentException("maxFrameLength must be at least " + FRAME_OVERHEAD + ": "
                    + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
        this.rejectionListener = Objects.requireNonNull(rejectionListener, "rejectionListener");
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * Changes the largest frame accepted from now on; on the channel's event loop. A link starts with a small cap until
     * its peer is authenticated, so an unknown peer cannot make it buffer a large frame.
     */
    public void maxFrameLength(int maxFrameLength) {
        if (maxFrameLength < FRAME_OVERHEAD) {
            throw new IllegalArgumentException("maxFrameLength must be at least " + FRAME_OVERHEAD + ": "
                    + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        // One frame per call: the pipeline handles it before the next one's length is checked, so a cap raised by
        // the frame just read (a peer's AUTH) applies to the frames right behind it in the same read.
        if (in.readableBytes() >= HEAD_LENGTH) {
            int start = in.readerIndex();
            int head = in.getUnsignedShort(start + HEAD_OFFSET);
            if (head != HEAD) {
                throw reject(in, FrameRejectReason.BAD_HEAD, String.format("head 0x%04x", head));
            }
            if (in.readableBytes() < VERSION_OFFSET) {
                return;
            }
            long lengthField = in.getUnsignedInt(start + LENGTH_OFFSET);
            if (lengthField < MIN_LENGTH_FIELD_VALUE) {
                throw reject(in, FrameRejectReason.LENGTH_TOO_SMALL,
                        "len " + lengthField + " < " + MIN_LENGTH_FIELD_VALUE);
            }
            long frameLength = ClusterFrameLayout.frameLength(lengthField);
            if (frameLength > maxFrameLength) {
                throw reject(in, FrameRejectReason.FRAME_TOO_LARGE,
                        "frame of " + frameLength + " bytes > max " + maxFrameLength);
            }
            if (in.readableBytes() < frameLength) {
                return;
            }
            // frameLength <= maxFrameLength, an int, from here on.
            int crcIndex = start + (int) frameLength - CRC_LENGTH;
            int sent = in.getInt(crcIndex);
            int computed = Crc32c.checksum(in, start, crcIndex - start);
            if (sent != computed) {
                throw reject(in, FrameRejectReason.BAD_CRC,
                        String.format("crc 0x%08x, computed 0x%08x", sent, computed));
            }
            ClusterFrame frame = new ClusterFrame(
                    in.getUnsignedShort(start + VERSION_OFFSET),
                    in.getUnsignedShort(start + SERVICE_ID_OFFSET),
                    in.getUnsignedInt(start + APP_ID_OFFSET),
                    in.getUnsignedInt(start + SESSION_ID_OFFSET),
                    in.retainedSlice(start + DATA_OFFSET, crcIndex - start - DATA_OFFSET));
            in.skipBytes((int) frameLength);
            out.add(frame);
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && in.isReadable()) {
            throw reject(in, FrameRejectReason.TRUNCATED,
                    "input ended " + in.readableBytes() + " bytes into a frame");
        }
    }

    private ClusterFrameException reject(ByteBuf in, FrameRejectReason reason, String detail) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return rejectionListener.rejected(reason, detail, null);
    }
}
