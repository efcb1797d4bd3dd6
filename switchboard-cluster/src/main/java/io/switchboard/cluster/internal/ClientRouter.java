package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.SystemRoutes;

import io.switchboard.gate.GateSession;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.MessageListener;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The gate's {@link MessageListener}: a client message of a service the gate serves itself goes to the local
 * listener; any other goes to the node {@link Placement} chooses, a request through the {@link Forwarder}. Bad
 * routes and the reserved {@code sys} service are refused; a refused request is answered with the error's code,
 * a refused notify is dropped.
 */
final class ClientRouter implements MessageListener {
    private static final Logger log = LoggerFactory.getLogger(ClientRouter.class);

    private final IntSupplier selfNodeId;
    private final Set<String> localServices;
    private final MessageListener local;
    private final RoutedSessions sessions;
    private final Placement placement;
    private final Forwarder forwarder;
    private final ClusterMetrics metrics;
    private volatile boolean closing;

    /** @param local the listener of {@code localServices}; {@code null} when the gate serves none */
    ClientRouter(IntSupplier selfNodeId, Set<String> localServices, MessageListener local, RoutedSessions sessions,
                 Placement placement, Forwarder forwarder, ClusterMetrics metrics) {
        this.selfNodeId = selfNodeId;
        this.localServices = Set.copyOf(localServices);
        this.local = local;
        this.sessions = sessions;
        this.placement = placement;
        this.forwarder = forwarder;
        this.metrics = metrics;
    }

    /** From now on, messages for nodes are refused: a request with {@code SHUTTING_DOWN}, a notify dropped. */
    void close() {
        closing = true;
    }

    @Override
    public void receive(GateSession session, PomeloMessage message) {
        String route = message.route();
        String service = SystemRoutes.serviceOf(route);
        if (local != null && localServices.contains(service)) {
            local.receive(session, message);
            return;
        }
        MessageType type = message.type();
        long id = message.id();
        byte[] body;
        try {
            body = ByteBufUtil.getBytes(message.content());
        } finally {
            message.release();
        }
        try {
            if (!Handlers.isValidRoute(route)) {
                throw new SwitchboardException(HandlerErrors.BAD_ROUTE, "bad route '" + route + "'");
            }
            if (SystemRoutes.SYSTEM_SERVICE.equals(service)) {
                throw new SwitchboardException(HandlerErrors.ROUTE_NOT_FOUND, "no handler for route '" + route + "'");
            }
            if (closing) {
                throw new SwitchboardException(ClusterErrors.SHUTTING_DOWN, "the gate is shutting down");
            }
            RoutedSession routed = sessions.require(session);
            Link link = placement.place(routed, service, route, body);
            EnvelopeBuilder envelope = Envelopes.builder(type == MessageType.REQUEST ? Kind.REQUEST : Kind.NOTIFY)
                    .route(route)
                    .sessionId(session.id())
                    .gateId(selfNodeId.getAsInt())
                    .sourceNodeId(selfNodeId.getAsInt())
                    .targetNodeId(link.peerNodeId())
                    .ownedPayload(body); // copied out of the client's buffer above, for this envelope
            if (session.userId() != null) {
                envelope.userId(session.userId());
            }
            ByteString address = routed.clientAddress();
            if (address != null) {
                envelope.clientAddress(address);
            }
            if (type == MessageType.REQUEST) {
                forwarder.request(link, envelope, routed, id);
            } else if (!link.isSaturated()) {
                link.send(envelope.build());
            } else {
                // No answer to refuse with: a notify to a saturated link is dropped and counted, never buffered.
                metrics.notifyDropped();
                log.debug("notify {} from {} dropped: the link to node {} is saturated", route, session,
                        link.peerNodeId());
            }
        } catch (SwitchboardException e) {
            if (type == MessageType.REQUEST) {
                metrics.requestFailed(e.errorCode());
                ClientReplies.error(session, id, e.errorCode(), e.getMessage());
            } else {
                log.debug("notify {} from {} dropped: {}", route, session, e.getMessage());
            }
        }
    }
}
