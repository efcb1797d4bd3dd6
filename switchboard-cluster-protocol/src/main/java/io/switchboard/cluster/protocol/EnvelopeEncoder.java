package io.switchboard.cluster.protocol;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.switchboard.cluster.protocol.proto.Envelope;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * Serializes outbound envelopes into {@link ClusterFrame}s for {@link ClusterFrameEncoder}, which goes before
 * it in the pipeline. Takes a {@link ClusterEnvelope}, whose header is used as it is, or a bare {@link Envelope},
 * which gets a current-version header with this encoder's service and app ids and the session id of
 * {@link FrameAddressing#sessionId}. Given a hop clock it
 * appends this hop's timestamp to each envelope as it leaves, as one more {@code timestamp} field after the message's
 * own bytes (a repeated field's values may come anywhere and are read in order), so stamping copies nothing.
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
        if (msg instanceof ClusterEnvelope addressed) {
            out.add(new ClusterFrame(addressed.version(), addressed.serviceId(), addressed.appId(),
                    addressed.sessionId(), serialize(ctx, addressed.envelope())));
        } else {
            Envelope envelope = (Envelope) msg;
            out.add(new ClusterFrame(serviceId, appId, FrameAddressing.sessionId(envelope), serialize(ctx, envelope)));
        }
    }

    /** Writes the envelope straight into the buffer's memory, with no intermediate byte array. */
    private ByteBuf serialize(ChannelHandlerContext ctx, Envelope envelope) throws IOException {
        long hop = hopClock == null ? -1 : Envelopes.epochMicros(hopClock);
        int size = envelope.getSerializedSize()
                + (hop < 0 ? 0 : CodedOutputStream.computeUInt64Size(Envelope.TIMESTAMP_FIELD_NUMBER, hop));
        ByteBuf buf = ctx.alloc().buffer(size);
        try {
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
            return buf;
        } catch (Throwable t) {
            buf.release();
            throw t;
        }
    }
}
