package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.SystemRoutes;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.gate.OtherGates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * A gate's resume tokens carry its node id; a token brought to this gate from another one makes this gate ask that
 * one, through any node (nodes link to every gate, gates to none), to release the session ({@link
 * SystemRoutes#SESSION_RELEASE}) so its rooms and login end now, not after the grace period. The holder checks the
 * whole token. With no node linked the request is dropped and the session ends with its grace period.
 */
final class ParkedReleases implements OtherGates {
    private static final Logger log = LoggerFactory.getLogger(ParkedReleases.class);

    private final IntSupplier selfNodeId;
    private final LinkTable links;

    ParkedReleases(IntSupplier selfNodeId, LinkTable links) {
        this.selfNodeId = selfNodeId;
        this.links = links;
    }

    @Override
    public int selfNumber() {
        return selfNodeId.getAsInt();
    }

    @Override
    public void release(int gate, long sessionId, String token) {
        Link link = links.anyActive();
        if (link == null) {
            log.debug("no node linked to relay the release of session {} of gate {}", sessionId, gate);
            return;
        }
        link.send(Envelopes.builder(Kind.NOTIFY)
                .route(SystemRoutes.SESSION_RELEASE)
                .sessionId(sessionId)
                .gateId(gate)
                .sourceNodeId(selfNodeId.getAsInt())
                .payload(ByteString.copyFrom(token, StandardCharsets.UTF_8))
                .build());
    }
}
