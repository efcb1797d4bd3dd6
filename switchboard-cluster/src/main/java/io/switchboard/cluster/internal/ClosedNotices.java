package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.SystemRoutes;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Kind;

import java.util.function.IntSupplier;

/**
 * Tells a node that a session of this gate is no longer its own ({@link SystemRoutes#SESSION_CLOSED}): the
 * session closed, or moved to another node of the service. A node that is not linked hears nothing: it dropped the
 * gate's sessions when the link went.
 */
final class ClosedNotices {
    private final IntSupplier selfNodeId;
    private final LinkTable links;

    ClosedNotices(IntSupplier selfNodeId, LinkTable links) {
        this.selfNodeId = selfNodeId;
        this.links = links;
    }

    void send(long sessionId, int nodeId) {
        Link link = links.active(nodeId);
        if (link != null) {
            link.send(Envelopes.builder(Kind.NOTIFY)
                    .route(SystemRoutes.SESSION_CLOSED)
                    .sessionId(sessionId)
                    .gateId(selfNodeId.getAsInt())
                    .sourceNodeId(selfNodeId.getAsInt())
                    .payload(ByteString.EMPTY)
                    .build());
        }
    }
}
