package io.switchboard.cluster.protocol;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.switchboard.cluster.protocol.proto.Envelope;

import java.io.IOException;
import java.util.List;

/**
 * Serializes outbound envelopes into {@link ClusterFrame}s for {@link ClusterFrameEncoder}, which goes before
 * it in the pipeline. Takes a {@link ClusterEnvelope}, whose header is used as it is, or a bare {@link Envelope},
 * which gets a current-version header with this encoder's service and app ids and session id 0.
 */
@Sharable
public class EnvelopeEncoder extends MessageToMessageEncoder<Object> {
    private final int serviceId;
    private final long appId;

    /** Bare envelopes get service id 0 and app id 0. */
    public EnvelopeEncoder() {
        this(0, 0);
    }

    /**
     * @param serviceId uint16, for bare envelopes
     * @param appId     uint32, for bare envelopes
     */
    public EnvelopeEncoder(int serviceId, long appId) {
        ClusterFrameLayout.checkField("serviceId", serviceId, ClusterFrameLayout.MAX_UINT16);
        ClusterFrameLayout.checkField("appId", appId, ClusterFrameLayout.MAX_UINT32);
        this.serviceId = serviceId;
        this.appId = appId;
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
            out.add(new ClusterFrame(serviceId, appId, 0, serialize(ctx, (Envelope) msg)));
        }
    }

    /** Writes the envelope straight into the buffer's memory, with no intermediate byte array. */
    private static ByteBuf serialize(ChannelHandlerContext ctx, Envelope envelope) throws IOException {
        int size = envelope.getSerializedSize();
        ByteBuf buf = ctx.alloc().buffer(size);
        try {
            int index = buf.writerIndex();
            CodedOutputStream output = buf.hasArray()
                    ? CodedOutputStream.newInstance(buf.array(), buf.arrayOffset() + index, size)
                    : CodedOutputStream.newInstance(buf.nioBuffer(index, size));
            envelope.writeTo(output);
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
