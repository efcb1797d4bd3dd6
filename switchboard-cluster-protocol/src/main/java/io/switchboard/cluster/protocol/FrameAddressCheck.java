package io.switchboard.cluster.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;

import java.util.Objects;

/**
 * Holds every frame of a link to seed 000's header fields (DESIGN §4), right after {@link EnvelopeDecoder}:
 * {@code app_id} must be this process's project; {@code service_id} must be the service number that the peer's HELLO
 * declared ({@link FrameAddressing#serviceId}), from the HELLO itself on; {@code session_id} must be the low 32 bits of
 * the envelope's session, or 0 when it has none. A frame that breaks one is counted and refused as a
 * {@link ClusterFrameException}, which ends the link: its sender is misconfigured, or not who it says. One instance
 * per link.
 */
public final class FrameAddressCheck extends ChannelInboundHandlerAdapter {
    private static final int UNKNOWN = -1;

    private final long appId;
    private final FrameRejectionListener rejections;
    private int peerServiceId;

    public FrameAddressCheck(long appId, FrameRejectionListener rejections) {
        this(appId, UNKNOWN, rejections);
    }

    /** For links whose peers are all of one service (the process plane's): every frame must carry it. */
    public FrameAddressCheck(long appId, int peerServiceId, FrameRejectionListener rejections) {
        this.appId = appId;
        this.peerServiceId = peerServiceId;
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ClusterEnvelope frame) {
            check(frame);
        }
        ctx.fireChannelRead(msg);
    }

    private void check(ClusterEnvelope frame) {
        if (frame.appId() != appId) {
            refuse(FrameRejectReason.WRONG_APP_ID, "app_id " + frame.appId() + ", this cluster's is " + appId);
        }
        Envelope envelope = frame.envelope();
        if (envelope.getKind() == Kind.CONTROL && envelope.getControl().getType() == ControlType.HELLO) {
            int declared = FrameAddressing.serviceId(envelope.getControl().getNodeType());
            if (peerServiceId != UNKNOWN && peerServiceId != declared) {
                refuse(FrameRejectReason.WRONG_SERVICE_ID, "a second HELLO as another service");
            }
            peerServiceId = declared;
        }
        // Before a HELLO the authenticator refuses the frame anyway; there is no service to hold it to yet.
        if (peerServiceId != UNKNOWN && frame.serviceId() != peerServiceId) {
            refuse(FrameRejectReason.WRONG_SERVICE_ID, "service_id " + frame.serviceId() + " on a link from service "
                    + peerServiceId);
        }
        long session = FrameAddressing.sessionId(envelope);
        if (frame.sessionId() != session) {
            refuse(FrameRejectReason.WRONG_SESSION_ID, "session_id " + frame.sessionId() + " for session " + session);
        }
    }

    private void refuse(FrameRejectReason reason, String detail) {
        throw rejections.rejected(reason, detail, null);
    }
}
