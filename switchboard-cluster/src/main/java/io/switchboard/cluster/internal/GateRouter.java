package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.SystemRoutes;

import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.gate.GateSession;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.PlacementKey;
import io.switchboard.cluster.PlacementPolicy;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.gate.ChannelMap;
import io.switchboard.gate.MessageListener;
import io.switchboard.gate.OtherGates;
import io.switchboard.gate.ResumeRefusal;
import io.switchboard.gate.StateListener;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.registry.Registry;
import io.switchboard.users.UserSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * The gate's side of cluster mode, wired from parts that each do one thing: {@link ClientRouter} routes client
 * messages, {@link Placement} chooses their nodes, {@link Forwarder} sees each forwarded request end exactly once,
 * {@link LinkTable} holds the links, {@link UsersService} answers nodes' {@code sys.user.*} requests,
 * {@link SessionPushes} delivers pushes and broadcasts, and {@link SessionUpkeep} keeps the sessions' state for the
 * nodes. This class sorts the links' envelopes between them and tells them when a node's link goes down.
 */
public final class GateRouter implements MessageListener, LinkListener, StateListener {
    private static final Logger log = LoggerFactory.getLogger(GateRouter.class);

    private final LinkTable links = new LinkTable();
    private final GateSessions sessions = new GateSessions();
    private final Placement placement;
    private final Forwarder forwarder;
    private final ClientRouter clients;
    private final UsersService usersService;
    private final SessionPushes pushes;
    private final SessionUpkeep upkeep;
    private final ParkedReleases releases;
    private final StateListener userStateListener;

    public GateRouter(IntSupplier selfNodeId, Registry registry, LinkSettings settings, PlacementPolicy placement,
                      Function<String, PlacementKey> placementKeys, Set<String> localServices, MessageListener local,
                      StateListener userStateListener, ClusterMetrics metrics, Runnable sessionGone,
                      UserSessions users) {
        this(selfNodeId, registry, settings, placement, placementKeys, localServices, local, userStateListener,
                metrics, sessionGone, users, Forwarder.DEFAULT_MAX_PER_SESSION, PendingRequests.DEFAULT_CAPACITY);
    }

    /**
     * @param maxRequestsPerSession requests one client session may have forwarded and unanswered
     * @param maxPendingRequests    requests the gate may have forwarded and unanswered in all
     */
    public GateRouter(IntSupplier selfNodeId, Registry registry, LinkSettings settings, PlacementPolicy placement,
                      Function<String, PlacementKey> placementKeys, Set<String> localServices, MessageListener local,
                      StateListener userStateListener, ClusterMetrics metrics, Runnable sessionGone,
                      UserSessions users, int maxRequestsPerSession, int maxPendingRequests) {
        RoutedSessions routed = new RoutedSessions();
        ClosedNotices closed = new ClosedNotices(selfNodeId, links);
        this.placement = new Placement(registry, links, placement, placementKeys,
                new KeyOwners(KeyOwners.DEFAULT_CAPACITY), closed);
        this.forwarder = new Forwarder(links, metrics, settings.ticker(), settings.requestTimeout(),
                maxRequestsPerSession, maxPendingRequests);
        this.clients = new ClientRouter(selfNodeId, localServices, local, routed, this.placement, forwarder, metrics);
        this.usersService = new UsersService(selfNodeId, users, sessions);
        this.pushes = new SessionPushes(sessions);
        this.releases = new ParkedReleases(selfNodeId, links);
        this.userStateListener = userStateListener;
        this.upkeep = new SessionUpkeep(sessions, routed, closed, users, userStateListener, sessionGone);
    }

    public void channels(ChannelMap channels) {
        sessions.channels(channels);
    }

    /** For each service type, the nodes sessions may be placed on now (serving, ready, linked). */
    public Map<String, Integer> placeable() {
        return placement.placeable();
    }

    /** How this gate releases a session whose client resumed on another gate: {@code GateServer::releaseParked}. */
    public void releaser(Predicate<String> releaser) {
        sessions.releaser(releaser);
    }

    /** This gate as the other gates of the cluster see it when a client brings a token of theirs. */
    public OtherGates otherGates() {
        return releases;
    }

    /** The nodes linked to this gate, by node id. */
    public Set<Integer> linkedNodes() {
        return links.nodeIds();
    }

    public int pendingRequests() {
        return forwarder.size();
    }

    /** Fails the forwarded requests whose deadline passed; called periodically. */
    public void expire() {
        forwarder.expire();
    }

    /**
     * The end of a drain, before the registry entry and the links go: refuses new requests for nodes with
     * {@code SHUTTING_DOWN}, waits up to {@code limit} for those forwarded to be answered, and fails the rest with
     * {@code SHUTTING_DOWN}, so no client request in the gate's hands ends without an answer.
     */
    public void quiesce(Duration limit) {
        clients.close();
        if (!Quiesce.await(forwarder::size, limit)) {
            log.warn("{} forwarded requests still unanswered after {}; failing them", forwarder.size(), limit);
        }
        forwarder.failAll(ClusterErrors.SHUTTING_DOWN, "the gate is shutting down");
    }

    /** Closes every link (shutdown). */
    public void closeLinks() {
        links.closeAll();
    }

    @Override
    public void receive(GateSession session, PomeloMessage message) {
        clients.receive(session, message);
    }

    @Override
    public void linkUp(Link link) {
        if (!links.up(link)) {
            link.close(LinkCloseReason.DUPLICATE_LINK);
        }
    }

    /** Whether the node has a live link to this gate. */
    public boolean isLinked(int nodeId) {
        return links.active(nodeId) != null;
    }

    @Override
    public void linkDown(Link link, LinkCloseReason reason) {
        if (!links.down(link, reason)) {
            return;
        }
        int nodeId = link.peerNodeId();
        placement.nodeLost(nodeId);
        upkeep.nodeLost(nodeId, "node lost (" + reason + ")");
        forwarder.nodeLost(nodeId, reason);
    }

    @Override
    public void received(Link link, Envelope envelope) {
        switch (Envelopes.kind(envelope)) {
            case RESPONSE -> forwarder.answer(link, envelope);
            case REQUEST -> {
                if (SystemRoutes.SYSTEM_SERVICE.equals(SystemRoutes.serviceOf(Envelopes.route(envelope)))) {
                    usersService.request(link, envelope);
                } else {
                    forwarder.relay(link, envelope);
                }
            }
            case PUSH -> pushes.push(envelope);
            case BROADCAST -> pushes.broadcast(envelope);
            case NOTIFY -> upkeep.notice(envelope);
            default -> {
                log.warn("node {} sent a {} envelope; closing its link", link.peerNodeId(), Envelopes.kind(envelope));
                link.close(LinkCloseReason.PROTOCOL_VIOLATION);
            }
        }
    }

    @Override
    public void connected(GateSession session) {
        upkeep.connected(session);
    }

    @Override
    public void disconnected(GateSession session, String reason) {
        upkeep.disconnected(session, reason);
    }

    // A parked session stays open for the nodes: they see no leave, and no rejoin when it resumes.

    @Override
    public void parked(GateSession session, String reason) {
        userStateListener.parked(session, reason);
    }

    @Override
    public void resumed(GateSession session, long replayed) {
        userStateListener.resumed(session, replayed);
    }

    @Override
    public void notResumed(GateSession session, ResumeRefusal why) {
        userStateListener.notResumed(session, why);
    }
}
