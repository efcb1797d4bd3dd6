package io.switchboard.cluster.protocol;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.switchboard.cluster.protocol.proto.Envelope;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

import static io.switchboard.cluster.protocol.ClusterFrameLayout.FRAME_OVERHEAD;

/**
 * Serializes outbound envelopes into cluster frames. Takes a {@link ClusterEnvelope}, whose header is used as it is, or
 * a bare {@link Envelope}, which gets a current-version header with this encoder's service and app ids and the
 * session id of {@link FrameAddressing#sessionId}. An envelope of fewer than {@link ClusterFrameEncoder#COPY_THRESHOLD}
 * bytes is written here as a whole frame, header, envelope and CRC, in one buffer: a buffer, a copy and a handler
 * fewer per envelope than handing it on, and nearly every envelope is that small. A larger one goes on as a
 * {@link ClusterFrame} to {@link ClusterFrameEncoder}, which goes before this encoder in the pipeline, sends the data
 * without copying it and refuses a frame above its maximum (which must not be below a small frame's size: the
 * smallest such maximum in use is 1 MiB). Given a hop clock it appends this hop's timestamp to each envelope as it
 * leaves, as one more {@code timestamp} field after the message's own bytes (a repeated field's values may come
 * anywhere and are read in order), so stamping copies nothing. {@link EnvelopeBatchEncoder} writes the same frames,
 * the small ones of a flush into one buffer.
 */
@Sharable
public class EnvelopeEncoder extends MessageToMessageEncoder<Object> {
    private final int serviceId;
    private final long appId;
    private final Clock hopClock;

    /** Bare envelopes get service id 0 and app id 0; no hop timestamp is added. */
    public EnvelopeEncoder() {
        this(0, 0);
    }

    /** No hop timestamp is added. */
    public EnvelopeEncoder(int serviceId, long appId) {
        this(serviceId, appId, null);
    }

    /**
     * @param serviceId uint16, for bare envelopes
     * @param appId     uint32, for bare envelopes
     * @param hopClock  the clock of the hop timestamp added to every envelope, or null to add none
     */
    public EnvelopeEncoder(int serviceId, long appId, Clock hopClock) {
        ClusterFrameLayout.checkField("serviceId", serviceId, ClusterFrameLayout.MAX_UINT16);
        ClusterFrameLayout.checkField("appId", appId, ClusterFrameLayout.MAX_UINT32);
        this.serviceId = serviceId;
        this.appId = appId;
        this.hopClock = hopClock;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Envelope || msg instanceof ClusterEnvelope;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws IOException {
        Outgoing outgoing = outgoing(msg);
        if (!outgoing.small()) {
            out.add(outgoing.largeFrame(ctx.alloc()));
            return;
        }
        ByteBuf frame = ctx.alloc().ioBuffer(outgoing.frameLength());
        try {
            outgoing.writeFrame(frame);
            out.add(frame);
        } catch (Throwable t) {
            frame.release();
            throw t;
        }
    }

    /** The envelope in {@code msg} (one this encoder accepts) with its frame header fields and hop stamp. */
    Outgoing outgoing(Object msg) {
        long hop = hopClock == null ? -1 : Envelopes.epochMicros(hopClock);
        if (msg instanceof ClusterEnvelope addressed) {
            return new Outgoing(addressed.version(), addressed.serviceId(), addressed.appId(), addressed.sessionId(),
                    addressed.envelope(), hop);
        }
        Envelope envelope = (Envelope) msg;
        return new Outgoing(ClusterFrame.CURRENT_VERSION, serviceId, appId, FrameAddressing.sessionId(envelope),
                envelope, hop);
    }

    /** One envelope on its way out: a small one is written whole, a large one handed on as a {@link ClusterFrame}. */
    record Outgoing(int version, int serviceId, long appId, long sessionId, Envelope envelope, long hop, int size) {
        Outgoing(int version, int serviceId, long appId, long sessionId, Envelope envelope, long hop) {
            this(version, serviceId, appId, sessionId, envelope, hop, envelope.getSerializedSize()
                    + (hop < 0 ? 0 : CodedOutputStream.computeUInt64Size(Envelope.TIMESTAMP_FIELD_NUMBER, hop)));
        }

        boolean small() {
            return size < ClusterFrameEncoder.COPY_THRESHOLD;
        }

        int frameLength() {
            return FRAME_OVERHEAD + size;
        }

        /** Appends the whole frame, header, envelope and CRC; on failure the buffer's writer index is where it was. */
        void writeFrame(ByteBuf into) throws IOException {
            int start = into.writerIndex();
            try {
                into.ensureWritable(frameLength());
                ClusterFrameEncoder.writeHeader(into, version, serviceId, appId, sessionId, size);
                writeEnvelope(into, envelope, hop, size);
                ClusterFrameEncoder.writeCrc(into, start);
            } catch (Throwable t) {
                into.writerIndex(start);
                throw t;
            }
        }

        /** The envelope alone in a buffer of its own, as the data of a frame for {@link ClusterFrameEncoder}. */
        ClusterFrame largeFrame(ByteBufAllocator alloc) throws IOException {
            return new ClusterFrame(version, serviceId, appId, sessionId, serialize(alloc, envelope, hop, size));
        }
    }

    /** The envelope alone, as a frame's data. */
    private static ByteBuf serialize(ByteBufAllocator alloc, Envelope envelope, long hop, int size)
            throws IOException {
        ByteBuf buf = alloc.buffer(size);
        try {
            writeEnvelope(buf, envelope, hop, size);
            return buf;
        } catch (Throwable t) {
            buf.release();
            throw t;
        }
    }

    /** Writes the envelope, and the hop stamp when there is one, straight into the buffer's memory. */
    private static void writeEnvelope(ByteBuf buf, Envelope envelope, long hop, int size) throws IOException {
        buf.ensureWritable(size);
        int index = buf.writerIndex();
        CodedOutputStream output = buf.hasArray()
                ? CodedOutputStream.newInstance(buf.array(), buf.arrayOffset() + index, size)
                : CodedOutputStream.newInstance(buf.nioBuffer(index, size));
        envelope.writeTo(output);
        if (hop >= 0) {
            output.writeUInt64(Envelope.TIMESTAMP_FIELD_NUMBER, hop);
        }
        output.flush();
        output.checkNoSpaceLeft();
        buf.writerIndex(index + size);
    }
}
