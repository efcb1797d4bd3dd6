package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.switchboard.api.errors.ClusterErrors;
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
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.ChannelMap;
import io.switchboard.api.FanOut;
import io.switchboard.api.SessionKey;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.GateSession;
import io.switchboard.gate.MessageListener;
import io.switchboard.api.Session;
import io.switchboard.gate.StateListener;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;
import io.switchboard.api.SessionLocation;
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
import java.util.concurrent.ConcurrentHashMap;
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
    /** Per session: the node each service is pinned to, and the rooms the session is in on each node. */
    private record Placed(Map<String, Integer> pins, Map<Integer, Set<String>> rooms) {
        Placed() {
            this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    private static final SessionKey<Placed> PLACED = SessionKey.of("switchboard.cluster.placed", Placed.class);

    private final IntSupplier selfNodeId;
    private final Registry registry;
    private final LinkSettings settings;
    private final PlacementPolicy placement;
    private final Map<String, PlacementKey> placementKeys;
    private final Set<String> localServices;
    private final MessageListener local;
    private final StateListener userStateListener;
    private final ClusterMetrics metrics;
    private final Runnable sessionGone;
    private final UserSessions users;
    private final Map<Integer, Link> links = new ConcurrentHashMap<>();
    private final Map<String, Integer> keyOwners = new ConcurrentHashMap<>();
    private final PendingRequests<Waiter> pending;
    private volatile ChannelMap channels;

    /** Who gets the answer of a forwarded request. */
    private sealed interface Waiter permits ClientWaiter, RelayWaiter {
    }

    private record ClientWaiter(Session session, long clientRequestId) implements Waiter {
    }

    private record RelayWaiter(Link origin, long originRequestId) implements Waiter {
    }

    public GateRouter(IntSupplier selfNodeId, Registry registry, LinkSettings settings, PlacementPolicy placement,
                      Map<String, PlacementKey> placementKeys, Set<String> localServices, MessageListener local,
                      StateListener userStateListener, ClusterMetrics metrics, Runnable sessionGone,
                      UserSessions users) {
        this.users = users;
        this.selfNodeId = selfNodeId;
        this.registry = registry;
        this.settings = settings;
        this.placement = placement;
        this.placementKeys = Map.copyOf(placementKeys);
        this.localServices = Set.copyOf(localServices);
        this.local = local;
        this.userStateListener = userStateListener;
        this.metrics = metrics;
        this.sessionGone = sessionGone;
        this.pending = new PendingRequests<>(settings.ticker());
    }

    public void channels(ChannelMap channels) {
        this.channels = channels;
    }

    /** The nodes linked to this gate, by node id. */
    public Set<Integer> linkedNodes() {
        return Set.copyOf(links.keySet());
    }

    public int pendingRequests() {
        return pending.size();
    }

    // ---- client messages ------------------------------------------------------------------------------------

    @Override
    public void receive(GateSession session, PomeloMessage message) {
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
            Link link = place(session, service, route, body);
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
                long requestId = pending.add(link.peerNodeId(), settings.requestTimeout().toNanos(),
                        new ClientWaiter(session, id));
                send(link, envelope.requestId(requestId).build(), requestId);
            } else {
                link.send(envelope.build());
            }
        } catch (SwitchboardException e) {
            if (type == MessageType.REQUEST) {
                metrics.requestFailed(e.errorCode());
                respondError(session, id, e.errorCode(), e.getMessage());
            } else {
                log.debug("notify {} from {} dropped: {}", route, session, e.getMessage());
            }
        }
    }

    /** The link of the node that takes this message: by placement key, else the session's sticky node. */
    private Link place(Session session, String service, String route, byte[] body) {
        Map<String, Integer> pins = session.attributes().computeIfAbsent(PLACED, Placed::new).pins();
        Integer pinned = pins.get(service);
        PlacementKey keyOf = placementKeys.get(route);
        String key = keyOf == null ? null : keyOf.of(route, body);
        if (key != null) {
            Link owner = keyOwner(service, key);
            if (pinned != null && pinned != owner.peerNodeId()) {
                // The session moves: its old node must forget it (and, say, take it out of its room).
                sendClosed(session, pinned);
            }
            pins.put(service, owner.peerNodeId());
            return owner;
        }
        Link link = pinned == null ? null : activeLink(pinned);
        if (link != null) {
            return link;
        }
        NodeInfo chosen = placement.choose(service, candidates(service));
        link = activeLink(chosen.nodeId());
        if (link == null) {
            throw new SwitchboardException(ClusterErrors.NODE_UNREACHABLE, "node " + chosen.id() + " is not linked");
        }
        pins.put(service, chosen.nodeId());
        return link;
    }

    private Link keyOwner(String service, String key) {
        String ownerKey = service + '\u0000' + key;
        Integer owner = keyOwners.get(ownerKey);
        Link link = owner == null ? null : activeLink(owner);
        if (link != null) {
            return link;
        }
        NodeInfo best = null;
        long bestScore = 0;
        for (NodeInfo node : candidates(service)) {
            long score = rendezvous(key, node.id());
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = node;
                bestScore = score;
            }
        }
        if (best == null) {
            throw new SwitchboardException(ClusterErrors.NO_NODE, "no node serves '" + service + "'");
        }
        link = activeLink(best.nodeId());
        if (link == null) {
            throw new SwitchboardException(ClusterErrors.NODE_UNREACHABLE, "node " + best.id() + " is not linked");
        }
        keyOwners.put(ownerKey, best.nodeId());
        return link;
    }

    /** FNV-1a over key and node id, then a final mix: the same score on every gate. */
    static long rendezvous(String key, String nodeId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (key + '\n' + nodeId).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** Serving nodes of the service that are linked to every gate and to this one. */
    private List<NodeInfo> candidates(String service) {
        List<NodeInfo> candidates = new ArrayList<>();
        for (NodeInfo node : registry.nodes(service)) {
            if (node.isServing() && "true".equals(node.metadata().get(ClusterProtocol.READY_METADATA))
                    && activeLink(node.nodeId()) != null) {
                candidates.add(node);
            }
        }
        return candidates;
    }

    private Link activeLink(int nodeId) {
        Link link = links.get(nodeId);
        return link != null && link.isActive() ? link : null;
    }

    private void send(Link link, Envelope envelope, long requestId) {
        link.send(envelope).addListener(f -> {
            if (!f.isSuccess()) {
                fail(pending.complete(requestId), ClusterErrors.NODE_UNREACHABLE,
                        "cannot reach node " + link.peerNodeId());
            }
        });
    }

    private void fail(PendingRequests.Entry<Waiter> entry, ErrorCode code, String message) {
        if (entry == null) {
            return;
        }
        metrics.requestFailed(code);
        if (entry.value() instanceof ClientWaiter client) {
            respondError(client.session(), client.clientRequestId(), code, message);
        } else if (entry.value() instanceof RelayWaiter relay) {
            relay.origin().send(Envelopes.errorResponse(relay.originRequestId(), code.code(), message));
        }
    }

    private static void respondError(Session session, long id, ErrorCode code, String message) {
        byte[] body = Json.errorBody(code.code(), message).toString().getBytes(StandardCharsets.UTF_8);
        write(session, PomeloMessage.errorResponse(id, Unpooled.wrappedBuffer(body)));
    }

    private static void write(Session session, PomeloMessage message) {
        ((GateSession) session).write(message);
    }

    /** Fails the requests whose deadline passed; called periodically. */
    public void expire() {
        for (PendingRequests.Entry<Waiter> entry : pending.expire()) {
            fail(entry, ClusterErrors.REQUEST_TIMEOUT, "node " + entry.nodeId() + " did not answer in "
                    + settings.requestTimeout().toMillis() + " ms");
        }
    }

    // ---- links ----------------------------------------------------------------------------------------------

    @Override
    public void linkUp(Link link) {
        Link old = links.put(link.peerNodeId(), link);
        log.info("linked to {} node {}", link.peerType(), link.peerNodeId());
        if (old != null && old != link) {
            old.close(LinkCloseReason.LOCAL_CLOSE);
        }
    }

    @Override
    public void linkDown(Link link, LinkCloseReason reason) {
        if (!links.remove(link.peerNodeId(), link)) {
            return;
        }
        log.info("link to {} node {} closed: {}", link.peerType(), link.peerNodeId(), reason);
        keyOwners.values().removeIf(owner -> owner == link.peerNodeId());
        roomsLost(link.peerNodeId(), "node lost (" + reason + ")");
        for (PendingRequests.Entry<Waiter> entry : pending.failNode(link.peerNodeId())) {
            fail(entry, ClusterErrors.NODE_LOST, "node " + link.peerNodeId() + " went away (" + reason + ")");
        }
    }

    @Override
    public void received(Link link, Envelope envelope) {
        switch (Envelopes.kind(envelope)) {
            case RESPONSE -> answer(envelope);
            case REQUEST -> {
                if (ClusterProtocol.SYSTEM_SERVICE.equals(ClusterProtocol.serviceOf(Envelopes.route(envelope)))) {
                    userRequest(link, envelope);
                } else {
                    relay(link, envelope);
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

    private void answer(Envelope envelope) {
        PendingRequests.Entry<Waiter> entry = pending.complete(Envelopes.requestId(envelope));
        if (entry == null) {
            return; // answered after its timeout: the client has its error already
        }
        if (entry.value() instanceof RelayWaiter relay) {
            relay.origin().send(envelope.toBuilder()
                    .setExtension(EnvelopeExtensions.requestId, relay.originRequestId()).build());
            return;
        }
        ClientWaiter client = (ClientWaiter) entry.value();
        if (Envelopes.isError(envelope)) {
            byte[] body = Json.errorBody(Envelopes.errorCode(envelope), Envelopes.errorInfo(envelope)).toString()
                    .getBytes(StandardCharsets.UTF_8);
            write(client.session(), PomeloMessage.errorResponse(client.clientRequestId(), Unpooled.wrappedBuffer(body)));
        } else {
            write(client.session(), PomeloMessage.response(client.clientRequestId(),
                    Unpooled.wrappedBuffer(Envelopes.payload(envelope).toByteArray())));
        }
    }

    /** A node's request for another node: forwarded under a gate request id, answered back under the caller's. */
    private void relay(Link origin, Envelope envelope) {
        long originId = Envelopes.requestId(envelope);
        Link target = envelope.hasExtension(EnvelopeExtensions.targetNodeId)
                ? activeLink(Envelopes.targetNodeId(envelope)) : null;
        if (target == null) {
            metrics.requestFailed(ClusterErrors.NODE_UNREACHABLE);
            origin.send(Envelopes.errorResponse(originId, ClusterErrors.NODE_UNREACHABLE.code(),
                    "node " + Envelopes.targetNodeId(envelope) + " is not linked to this gate"));
            return;
        }
        long requestId = pending.add(target.peerNodeId(), settings.requestTimeout().toNanos(),
                new RelayWaiter(origin, originId));
        send(target, envelope.toBuilder().setExtension(EnvelopeExtensions.requestId, requestId).build(), requestId);
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
            throw new SwitchboardException(io.switchboard.api.errors.SessionErrors.NO_SUCH_SESSION,
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
            case ClusterProtocol.ROOM_JOINED -> roomsOn(session, Envelopes.sourceNodeId(envelope)).add(payload);
            case ClusterProtocol.ROOM_LEFT -> roomsOn(session, Envelopes.sourceNodeId(envelope)).remove(payload);
            default -> log.debug("unknown notify {} from a node", Envelopes.route(envelope));
        }
    }

    private static Set<String> roomsOn(Session session, int nodeId) {
        return session.attributes().computeIfAbsent(PLACED, Placed::new).rooms()
                .computeIfAbsent(nodeId, n -> ConcurrentHashMap.newKeySet());
    }

    /** The node's rooms are gone with its link: their members hear it from here, the node cannot tell them. */
    private void roomsLost(int nodeId, String reason) {
        ChannelMap map = channels;
        if (map == null) {
            return;
        }
        for (Session session : map.all()) {
            Placed placed = session.attributes().get(PLACED);
            Set<String> lost = placed == null ? null : placed.rooms().remove(nodeId);
            if (lost == null) {
                continue;
            }
            for (String room : lost) {
                session.push(FrameworkRoutes.ROOM_CLOSED, Json.MAPPER.createObjectNode().put("room", room)
                        .put("reason", reason).toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    // ---- sessions -------------------------------------------------------------------------------------------

    @Override
    public void connected(GateSession session) {
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
    public void disconnected(GateSession session, String reason) {
        Placed placed = session.attributes().get(PLACED);
        if (placed != null) {
            placed.pins().values().stream().distinct().forEach(nodeId -> sendClosed(session, nodeId));
        }
        try {
            userStateListener.disconnected(session, reason);
        } finally {
            sessionGone.run();
        }
    }

    private void sendClosed(Session session, int nodeId) {
        Link link = activeLink(nodeId);
        if (link != null) {
            link.send(Envelopes.builder(Kind.NOTIFY)
                    .route(ClusterProtocol.SESSION_CLOSED)
                    .sessionId(session.id())
                    .gateId(selfNodeId.getAsInt())
                    .sourceNodeId(selfNodeId.getAsInt())
                    .payload(ByteString.EMPTY)
                    .build());
        }
    }

    /** Closes every link (shutdown). */
    public void closeLinks() {
        links.values().forEach(link -> link.close(LinkCloseReason.LOCAL_CLOSE));
    }
}
