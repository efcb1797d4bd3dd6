package io.switchboard.cluster.protocol;

import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.port.PortPlan;

/**
 * What seed 000's frame header says about a frame: {@code service_id} is the sender's service number of the port plan
 * (a gate's is {@link PortPlan#GATE}, every service node's {@link PortPlan#SERVICE}, the process plane's
 * {@link PortPlan#ROUTER}), {@code app_id} the project, {@code session_id} the low 32 bits of the client session
 * the envelope is about (the header has 4 bytes; the envelope carries all 64).
 */
public final class FrameAddressing {
    /** The node type of the process plane's router and daemons on their links. */
    public static final String PLANE_TYPE = "plane";

    private FrameAddressing() {
    }

    /** The service number a process of this node type writes in {@code service_id}. */
    public static int serviceId(String nodeType) {
        if (NodeMetadata.GATE_TYPE.equals(nodeType)) {
            return PortPlan.GATE;
        }
        return PLANE_TYPE.equals(nodeType) ? PortPlan.ROUTER : PortPlan.SERVICE;
    }

    /** The {@code session_id} of a frame carrying this envelope: 0 when it is about no session. */
    public static long sessionId(Envelope envelope) {
        return envelope.hasSessionId() ? envelope.getSessionId() & ClusterFrameLayout.MAX_UINT32 : 0;
    }
}
