package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.api.FanOut;
import io.switchboard.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * A service node's {@link FanOut}: the sessions are grouped by gate and each gate gets one BROADCAST envelope with
 * the body and its sessions' ids; the gate then encodes the package once and writes it to all of them.
 */
final class GateBroadcastFanOut implements FanOut {
    /** The session ids of one gate, unboxed. */
    private static final class SessionIds {
        long[] ids;
        int count;

        SessionIds(int capacity) {
            ids = new long[Math.max(1, capacity)];
        }

        void add(long id) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
            }
            ids[count++] = id;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GateBroadcastFanOut.class);

    private final IntSupplier selfNodeId;
    private final IntFunction<Link> gateLinks;

    GateBroadcastFanOut(IntSupplier selfNodeId, IntFunction<Link> gateLinks) {
        this.selfNodeId = selfNodeId;
        this.gateLinks = gateLinks;
    }

    @Override
    public void push(List<? extends Session> sessions, String route, byte[] body) {
        // Sized for the whole room on one gate, the usual case; ids kept unboxed.
        Map<Integer, SessionIds> byGate = new HashMap<>();
        // Members of a room mostly share a gate: the last one's ids are reused without a map lookup.
        int lastGate = 0;
        SessionIds last = null;
        for (Session session : sessions) {
            if (session instanceof RemoteSession remote) {
                int gate = remote.gateNodeId();
                if (last == null || gate != lastGate) {
                    last = byGate.computeIfAbsent(gate, g -> new SessionIds(sessions.size()));
                    lastGate = gate;
                }
                last.add(remote.gateSessionId());
            } else {
                session.push(route, body);
            }
        }
        ByteString payload = ByteString.copyFrom(body);
        byGate.forEach((gate, ids) -> {
            Link link = gateLinks.apply(gate);
            if (link == null || !link.isActive()) {
                log.debug("broadcast {} to {} sessions of gate {} dropped: no link", route, ids.count, gate);
                return;
            }
            link.send(Envelopes.builder(Kind.BROADCAST)
                    .route(route)
                    .gateId(gate)
                    .sourceNodeId(selfNodeId.getAsInt())
                    .targetSessionIds(ids.ids, ids.count)
                    .payload(payload)
                    .build());
        });
    }
}
