package io.switchboard.daemon.router;

import io.netty.channel.ChannelPipeline;
import io.switchboard.cluster.protocol.ClusterFrameDecoder;
import io.switchboard.cluster.protocol.ClusterFrameEncoder;
import io.switchboard.cluster.protocol.EnvelopeDecoder;
import io.switchboard.cluster.protocol.EnvelopeEncoder;
import io.switchboard.cluster.protocol.FrameAddressCheck;
import io.switchboard.cluster.protocol.FrameAddressing;
import io.switchboard.common.port.PortPlan;
import io.switchboard.cluster.protocol.FrameRejectionListener;

/**
 * The codec of a router ⇄ daemon link, the same at both ends: cluster frames of envelopes. A link starts with a small
 * frame cap, raised only once the peer has proved the secret, so an unknown peer cannot make either end buffer much.
 */
public final class PlaneFrames {
    /** The largest frame before the handshake: a challenge, HELLO or refusal with room to spare. */
    public static final int HANDSHAKE_MAX_FRAME_LENGTH = 4 * 1024;
    /** The largest frame after it: a command's result with its rows. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 1 << 20;
    private static final String FRAME_DECODER = "frameDecoder";
    private static final ClusterFrameEncoder FRAME_ENCODER = new ClusterFrameEncoder(DEFAULT_MAX_FRAME_LENGTH);
    /** Seed 000's header on every plane frame: the process plane's service, the default project. */
    private static final int SERVICE_ID = FrameAddressing.serviceId(FrameAddressing.PLANE_TYPE);
    private static final EnvelopeEncoder ENVELOPE_ENCODER = new EnvelopeEncoder(SERVICE_ID, PortPlan.DEFAULT_PROJECT);
    private static final EnvelopeDecoder ENVELOPE_DECODER = new EnvelopeDecoder();

    private PlaneFrames() {
    }

    public static void addCodec(ChannelPipeline pipeline, FrameRejectionListener rejections) {
        pipeline.addLast(FRAME_DECODER, new ClusterFrameDecoder(HANDSHAKE_MAX_FRAME_LENGTH, rejections));
        pipeline.addLast("envelopeDecoder", ENVELOPE_DECODER);
        pipeline.addLast("addressCheck", new FrameAddressCheck(PortPlan.DEFAULT_PROJECT, SERVICE_ID, rejections));
        pipeline.addLast("frameEncoder", FRAME_ENCODER);
        pipeline.addLast("envelopeEncoder", ENVELOPE_ENCODER);
    }

    /** The peer proved itself: frames up to {@code maxFrameLength} from now on. */
    public static void authenticated(ChannelPipeline pipeline, int maxFrameLength) {
        ClusterFrameDecoder decoder = (ClusterFrameDecoder) pipeline.get(FRAME_DECODER);
        if (decoder != null) {
            decoder.maxFrameLength(maxFrameLength);
        }
    }
}
