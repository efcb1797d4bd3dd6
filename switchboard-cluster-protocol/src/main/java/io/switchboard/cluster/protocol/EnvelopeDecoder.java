package io.switchboard.cluster.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.switchboard.cluster.protocol.proto.Envelope;

import java.util.List;
import java.util.Objects;

/**
 * Reads the data of each {@link ClusterFrame} as an {@link Envelope} and passes on a
 * {@link ClusterEnvelope}. Goes right after {@link ClusterFrameDecoder}. Data that is not a valid Envelope is
 * refused as {@link FrameRejectReason#MALFORMED_ENVELOPE}. Frames are released once read.
 */
@Sharable
public class EnvelopeDecoder extends MessageToMessageDecoder<ClusterFrame> {
    private final FrameRejectionListener rejectionListener;

    public EnvelopeDecoder() {
        this(FrameRejectionListener.NOOP);
    }

    public EnvelopeDecoder(FrameRejectionListener rejectionListener) {
        super(ClusterFrame.class);
        this.rejectionListener = Objects.requireNonNull(rejectionListener, "rejectionListener");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ClusterFrame frame, List<Object> out) {
        Envelope envelope;
        try {
            envelope = Envelopes.parse(frame.content());
        } catch (InvalidProtocolBufferException e) {
            throw rejectionListener.rejected(FrameRejectReason.MALFORMED_ENVELOPE, e.getMessage(), e);
        }
        out.add(new ClusterEnvelope(frame.version(), frame.serviceId(), frame.appId(), frame.sessionId(), envelope));
    }
}
