package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.PlacementKey;
import io.switchboard.cluster.PlacementPolicy;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.EnvelopeExtensions;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.ChannelMap;
import io.switchboard.gate.FanOut;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.MessageListener;
import io.switchboard.gate.Session;
import io.switchboard.gate.StateListener;
import io.switchboard.handler.HandlerErrors;
import io.switchboard.handler.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.registry.Registry;
import io.switchboard.users.SessionLocation;
import io.switchboard.users.UserSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The gate's side of cluster mode. As the gate's {@link MessageListener} it routes each client message by its
 * service: local services to the local listener, others over a link to a node of that service (placed once per
 * session and service, sticky afterwards). As the links' {@link LinkListener} it answers clients from RESPONSE
 * envelopes, delivers PUSH and BROADCAST envelopes, applies session upkeep from nodes and relays node-to-node
 * requests. Every forwarded request ends exactly once: answered, failed when its node's link drops, or failed at
 * the request timeout. User logins, pushes to users and kicks go through the gate's {@link UserSessions}, so they
 * reach the session directory shared with the other gates.
 */
public final class GateRouter implements MessageListener, LinkListener, StateListener {
    private static final Logger log = LoggerFactory.getLogger(GateRouter.class);

    private final IntSupplier selfNodeId;
    private final Placement placement;
    private final Set<String> localServices;
    private final MessageListener local;
    private final StateListener userStateListener;
    private final ClusterMetrics metrics;
    private final Runnable sessionGone;
    private final UserSessions users;
    private final LinkTable links = new LinkTable();
    private final ClosedNotices closed;
    private final RoutedSessions routed = new RoutedSessions();
    private final Forwarder forwarder;
    private volatile ChannelMap channels;

    public GateRouter(IntSupplier selfNodeId, Registry registry, LinkSettings settings, PlacementPolicy placement,
                      Map<String, PlacementKey> placementKeys, Set<String> localServices, MessageListener local,
                      StateListener userStateListener, ClusterMetrics metrics, Runnable sessionGone,
                      UserSessions users) {
        this.users = users;
        this.selfNodeId = selfNodeId;
        this.closed = new ClosedNotices(selfNodeId, links);
        this.placement = new Placement(registry, links, placement, placementKeys,
                new KeyOwners(KeyOwners.DEFAULT_CAPACITY), closed);
        this.localServices = Set.copyOf(localServices);
        this.local = local;
        this.userStateListener = userStateListener;
        this.metrics = metrics;
        this.sessionGone = sessionGone;
        this.forwarder = new Forwarder(links, metrics, settings.ticker(), settings.requestTimeout());
    }

    public void channels(ChannelMap channels) {
        this.channels = channels;
    }

    /** The nodes linked to this gate, by node id. */
    public Set<Integer> linkedNodes() {
        return links.nodeIds();
    }

    public int pendingRequests() {
        return forwarder.size();
    }

    // ---- client messages ------------------------------------------------------------------------------------

    @Override
    public void receive(Session session, PomeloMessage message) {
        String route = message.route();
        String service = ClusterProtocol.serviceOf(route);
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
            if (ClusterProtocol.SYSTEM_SERVICE.equals(service)) {
                throw new SwitchboardException(HandlerErrors.ROUTE_NOT_FOUND, "no handler for route '" + route + "'");
            }
            Link link = placement.place(routed.require(session), service, route, body);
            EnvelopeBuilder envelope = Envelopes.builder(type == MessageType.REQUEST ? Kind.REQUEST : Kind.NOTIFY)
                    .route(route)
                    .sessionId(session.id())
                    .gateId(selfNodeId.getAsInt())
                    .sourceNodeId(selfNodeId.getAsInt())
                    .targetNodeId(link.peerNodeId())
                    .payload(body);
            if (session.userId() != null) {
                envelope.userId(session.userId());
            }
            if (type == MessageType.REQUEST) {
                forwarder.request(link, envelope, session, id);
            } else {
                link.send(envelope.build());
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

    /** Fails the requests whose deadline passed; called periodically. */
    public void expire() {
        forwarder.expire();
    }

    // ---- links ----------------------------------------------------------------------------------------------

    @Override
    public void linkUp(Link link) {
        links.up(link);
    }

    @Override
    public void linkDown(Link link, LinkCloseReason reason) {
        if (!links.down(link, reason)) {
            return;
        }
        placement.nodeLost(link.peerNodeId());
        roomsLost(link.peerNodeId(), "node lost (" + reason + ")");
        forwarder.nodeLost(link.peerNodeId(), reason);
    }

    @Override
    public void received(Link link, Envelope envelope) {
        switch (Envelopes.kind(envelope)) {
            case RESPONSE -> forwarder.answer(envelope);
            case REQUEST -> {
                if (ClusterProtocol.SYSTEM_SERVICE.equals(ClusterProtocol.serviceOf(Envelopes.route(envelope)))) {
                    userRequest(link, envelope);
                } else {
                    forwarder.relay(link, envelope);
                }
            }
            case PUSH -> push(envelope);
            case BROADCAST -> broadcast(envelope);
            case NOTIFY -> upkeep(envelope);
            default -> {
                log.warn("node {} sent a {} envelope; closing its link", link.peerNodeId(), Envelopes.kind(envelope));
                link.close(LinkCloseReason.PROTOCOL_VIOLATION);
            }
        }
    }

    /** A node's request about users ({@code sys.user.*}), answered from this gate's session directory. */
    private void userRequest(Link origin, Envelope envelope) {
        long requestId = Envelopes.requestId(envelope);
        String route = Envelopes.route(envelope);
        String uid = envelope.hasExtension(EnvelopeExtensions.userId) ? Envelopes.userId(envelope) : null;
        CompletableFuture<String> answer;
        try {
            answer = switch (route) {
                case ClusterProtocol.USER_LOGIN -> users.login(requireSession(envelope), uid).thenApply(v -> "");
                case ClusterProtocol.USER_LOGOUT -> users.logout(requireSession(envelope)).thenApply(String::valueOf);
                case ClusterProtocol.USER_PUSH -> {
                    byte[] payload = Envelopes.payload(envelope).toByteArray();
                    yield users.push(uid, ClusterProtocol.pushRoute(payload), ClusterProtocol.pushBody(payload))
                            .thenApply(String::valueOf);
                }
                case ClusterProtocol.USER_LOOKUP -> users.lookup(uid).thenApply(locations -> locations.stream()
                        .map(SessionLocation::key).collect(Collectors.joining("\n")));
                case ClusterProtocol.USER_KICK -> users.kick(uid, Envelopes.payload(envelope).toStringUtf8())
                        .thenApply(String::valueOf);
                default -> throw new SwitchboardException(HandlerErrors.ROUTE_NOT_FOUND, "no gate route " + route);
            };
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((text, error) -> {
            if (error == null) {
                origin.send(Envelopes.builder(Kind.RESPONSE).requestId(requestId).sourceNodeId(selfNodeId.getAsInt())
                        .payload(ByteString.copyFromUtf8(text)).build());
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof SwitchboardException e) {
                origin.send(Envelopes.errorResponse(requestId, e.code(), e.getMessage()));
            } else {
                log.warn("{} from node {} failed", route, origin.peerNodeId(), cause);
                origin.send(Envelopes.errorResponse(requestId, HandlerErrors.HANDLER_FAILED.code(),
                        route + " failed: " + cause));
            }
        });
    }

    private Session requireSession(Envelope envelope) {
        Session session = envelope.hasExtension(EnvelopeExtensions.sessionId) ? session(envelope) : null;
        if (session == null) {
            throw new SwitchboardException(io.switchboard.gate.SessionErrors.NO_SUCH_SESSION,
                    "session " + Envelopes.sessionId(envelope) + " is gone");
        }
        return session;
    }

    private Session session(Envelope envelope) {
        ChannelMap map = channels;
        return map == null ? null : map.get(Envelopes.sessionId(envelope));
    }

    private void push(Envelope envelope) {
        Session session = session(envelope);
        if (session == null) {
            log.debug("push {} to a gone session {}", Envelopes.route(envelope), Envelopes.sessionId(envelope));
            return;
        }
        session.push(Envelopes.route(envelope), Envelopes.payload(envelope).toByteArray());
    }

    /** One body for many sessions of this gate: encoded once per client encoding (see {@link FanOut}). */
    private void broadcast(Envelope envelope) {
        ChannelMap map = channels;
        if (map == null) {
            return;
        }
        List<Session> sessions = new ArrayList<>();
        for (long id : Envelopes.targetSessionIds(envelope)) {
            Session session = map.get(id);
            if (session != null) {
                sessions.add(session);
            }
        }
        FanOut.pushAll(sessions, Envelopes.route(envelope), Envelopes.payload(envelope).toByteArray());
    }

    private void upkeep(Envelope envelope) {
        Session session = session(envelope);
        if (session == null) {
            return;
        }
        String payload = Envelopes.payload(envelope).toStringUtf8();
        switch (Envelopes.route(envelope)) {
            case ClusterProtocol.SESSION_BIND -> {
                // Through the directory, so single login holds across gates; a refusal leaves the session unbound.
                CompletableFuture<?> done = payload.isEmpty() ? users.logout(session) : users.login(session, payload);
                done.exceptionally(e -> {
                    log.info("bind of {} to '{}' refused: {}", session, payload, e.getMessage());
                    return null;
                });
            }
            case ClusterProtocol.SESSION_KICK -> session.kick(payload);
            case ClusterProtocol.ROOM_JOINED, ClusterProtocol.ROOM_LEFT -> room(session, envelope, payload);
            default -> log.debug("unknown notify {} from a node", Envelopes.route(envelope));
        }
    }

    /** Keeps the session's rooms per node, for when the node is lost. */
    private void room(Session session, Envelope envelope, String room) {
        RoutedSession state = routed.get(session.id());
        if (state == null) {
            return;
        }
        int nodeId = Envelopes.sourceNodeId(envelope);
        if (ClusterProtocol.ROOM_JOINED.equals(Envelopes.route(envelope))) {
            state.joined(nodeId, room);
        } else {
            state.left(nodeId, room);
        }
    }

    /** The node's rooms are gone with its link: their members hear it from here, the node cannot tell them. */
    private void roomsLost(int nodeId, String reason) {
        for (RoutedSession state : routed.all()) {
            for (String room : state.dropRooms(nodeId)) {
                state.session().push(FrameworkRoutes.ROOM_CLOSED, Json.MAPPER.createObjectNode().put("room", room)
                        .put("reason", reason).toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    // ---- sessions -------------------------------------------------------------------------------------------

    @Override
    public void connected(Session session) {
        routed.open(session);
        if (!session.isActive()) {
            // Closed before this ran, so its disconnected may have come already: keep nothing for it.
            routed.close(session.id());
        }
        String uid = session.userId();
        if (uid != null) {
            // Bound by the acceptor (a token in the handshake): that is a login too.
            users.login(session, uid).exceptionally(e -> {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                log.info("handshake login of {} as '{}' refused: {}", session, uid, cause.getMessage());
                session.kick(cause.getMessage());
                return null;
            });
        }
        userStateListener.connected(session);
    }

    @Override
    public void disconnected(Session session, String reason) {
        RoutedSession gone = routed.close(session.id());
        if (gone != null) {
            for (int nodeId : gone.pinnedNodes()) {
                closed.send(session.id(), nodeId);
            }
        }
        try {
            userStateListener.disconnected(session, reason);
        } finally {
            sessionGone.run();
        }
    }

    /** Closes every link (shutdown). */
    public void closeLinks() {
        links.closeAll();
    }
}
