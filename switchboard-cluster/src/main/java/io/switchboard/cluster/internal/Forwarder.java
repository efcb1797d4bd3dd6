package io.switchboard.cluster.internal;

import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.api.errors.GateErrors;
import io.switchboard.api.errors.RuntimeErrors;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.time.Ticker;
import io.switchboard.api.Session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests the gate sends to nodes, from its clients or relayed for other nodes, until each ends exactly once:
 * answered, failed when its node's link drops or cannot be written, or failed when {@link #expire()} finds it past
 * the request timeout on the {@link Ticker}. Failures are counted in {@link ClusterMetrics}.
 *
 * <p>Bounded: a session may have {@code maxPerSession} requests in flight ({@link GateErrors#TOO_MANY_PENDING}
 * past it), the gate {@code maxPending} in all ({@link RuntimeErrors#OVERLOADED}; a quarter of it at most for the
 * calls relayed for one node), and nothing is sent on a link
 * that is not writable ({@link ClusterErrors#LINK_SATURATED}): a saturated node link refuses at once rather than
 * buffering without bound. Each request carries the time the gate will still wait for it, so the node can drop it
 * unrun once the gate has answered it with a timeout.
 */
final class Forwarder {
    private final LinkTable links;
    private final ClusterMetrics metrics;
    private final Duration timeout;
    private final int maxPerSession;
    private final PendingRequests<Waiter> pending;
    /** Calls relayed for one node that may be in flight: a share of the table, so one node cannot fill it. */
    private final int maxRelaysPerNode;
    private final Map<Integer, AtomicInteger> relaysByNode = new ConcurrentHashMap<>();

    /** Who gets the answer of a forwarded request. */
    private sealed interface Waiter permits ClientWaiter, RelayWaiter {
    }

    private record ClientWaiter(RoutedSession from, long clientRequestId) implements Waiter {
        Session session() {
            return from.session();
        }
    }

    /** A node's call relayed here; {@code share} counts that node's relayed calls in flight. */
    private record RelayWaiter(Link origin, long originRequestId, AtomicInteger share) implements Waiter {
        void ended() {
            share.decrementAndGet();
        }
    }

    /** Default bounds: {@link #DEFAULT_MAX_PER_SESSION} per session, {@link PendingRequests#DEFAULT_CAPACITY} in all. */
    Forwarder(LinkTable links, ClusterMetrics metrics, Ticker ticker, Duration timeout) {
        this(links, metrics, ticker, timeout, DEFAULT_MAX_PER_SESSION, PendingRequests.DEFAULT_CAPACITY);
    }

    /**
     * @param maxPerSession requests one client session may have in flight
     * @param maxPending    requests the gate may have in flight in all (clients' and relayed)
     */
    Forwarder(LinkTable links, ClusterMetrics metrics, Ticker ticker, Duration timeout, int maxPerSession,
              int maxPending) {
        if (maxPerSession < 1) {
            throw new IllegalArgumentException("maxPerSession must be positive: " + maxPerSession);
        }
        this.links = links;
        this.metrics = metrics;
        this.timeout = timeout;
        this.maxPerSession = maxPerSession;
        this.pending = new PendingRequests<>(ticker, maxPending);
        this.maxRelaysPerNode = Math.max(1, maxPending / RELAY_SHARE_DIVISOR);
    }

    /** One node's relayed calls may take at most this fraction of the gate's table. */
    static final int RELAY_SHARE_DIVISOR = 4;

    /** Requests one client session may have in flight unless configured otherwise (the standalone gate's default). */
    static final int DEFAULT_MAX_PER_SESSION = 256;

    /** Sends a client's request; the client is answered under {@code clientRequestId}, now when it is refused. */
    void request(Link link, EnvelopeBuilder request, RoutedSession from, long clientRequestId) {
        if (!from.requestStarted(maxPerSession)) {
            refuse(new ClientWaiter(from, clientRequestId), GateErrors.TOO_MANY_PENDING,
                    "the session has " + maxPerSession + " requests in progress");
            return;
        }
        ClientWaiter waiter = new ClientWaiter(from, clientRequestId);
        if (link.isSaturated()) {
            from.requestEnded();
            refuse(waiter, ClusterErrors.LINK_SATURATED, "the link to node " + link.peerNodeId() + " is saturated");
            return;
        }
        long requestId = pending.add(link.peerNodeId(), timeout.toNanos(), waiter);
        if (requestId == 0) {
            from.requestEnded();
            refuse(waiter, RuntimeErrors.OVERLOADED, "the gate waits for " + pending.capacity() + " requests");
            return;
        }
        send(link, request.requestId(requestId).remainingMs(timeout.toMillis()).build(), requestId);
    }

    /** A node's request for another node: forwarded under a gate request id, answered back under the caller's. */
    void relay(Link origin, Envelope request) {
        long originId = Envelopes.requestId(request);
        if (origin.isSaturated()) {
            // The link back to the caller is full: any answer, a refusal too, would only add to it. It times out there.
            metrics.requestFailed(ClusterErrors.LINK_SATURATED);
            return;
        }
        Link target = request.hasTargetNodeId()
                ? links.active(Envelopes.targetNodeId(request)) : null;
        if (target == null) {
            refuseRelay(origin, originId, ClusterErrors.NODE_UNREACHABLE,
                    "node " + Envelopes.targetNodeId(request) + " is not linked to this gate");
            return;
        }
        if (target.isSaturated()) {
            refuseRelay(origin, originId, ClusterErrors.LINK_SATURATED,
                    "the link to node " + target.peerNodeId() + " is saturated");
            return;
        }
        AtomicInteger share = relaysByNode.computeIfAbsent(origin.peerNodeId(), node -> new AtomicInteger());
        if (share.incrementAndGet() > maxRelaysPerNode) {
            share.decrementAndGet();
            refuseRelay(origin, originId, RuntimeErrors.OVERLOADED, "node " + origin.peerNodeId() + " has "
                    + maxRelaysPerNode + " calls relayed through this gate in flight");
            return;
        }
        RelayWaiter waiter = new RelayWaiter(origin, originId, share);
        // The caller's remaining time when it sent one, so the target drops the call once the caller gave up.
        long remainingMs = Envelopes.remainingMs(request);
        long waitMs = remainingMs < 0 ? timeout.toMillis() : Math.min(remainingMs, timeout.toMillis());
        long requestId = pending.add(target.peerNodeId(), TimeUnit.MILLISECONDS.toNanos(waitMs), waiter);
        if (requestId == 0) {
            waiter.ended();
            refuse(waiter, RuntimeErrors.OVERLOADED, "the gate waits for " + pending.capacity() + " requests");
            return;
        }
        send(target, request.toBuilder().setRequestId(requestId)
                .setRemainingMs((int) waitMs).build(), requestId);
    }

    /**
     * A node's RESPONSE: to the client or node that waits for it; dropped when the request ended already, or when it
     * comes from another node than the one the request went to (a node answering ids it was never sent would reach
     * other nodes' clients).
     */
    void answer(Link from, Envelope response) {
        PendingRequests.Entry<Waiter> entry = pending.complete(Envelopes.requestId(response), from.peerNodeId());
        if (entry == null) {
            // Answered after its timeout (the waiter has its error already), or not this node's to answer.
            return;
        }
        if (entry.value() instanceof RelayWaiter relay) {
            relay.ended();
            relay.origin().send(response.toBuilder()
                    .setRequestId(relay.originRequestId()).build());
            return;
        }
        ClientWaiter client = (ClientWaiter) entry.value();
        client.from().requestEnded();
        metrics.hopTraces().answered(client.clientRequestId(), response);
        if (Envelopes.isError(response)) {
            ClientReplies.error(client.session(), client.clientRequestId(), Envelopes.errorCode(response),
                    Envelopes.errorInfo(response));
        } else {
            ClientReplies.ok(client.session(), client.clientRequestId(), Envelopes.payload(response));
        }
    }

    /** Fails the requests sent to a node whose link went down. */
    void nodeLost(int nodeId, LinkCloseReason reason) {
        for (PendingRequests.Entry<Waiter> entry : pending.failNode(nodeId)) {
            fail(entry, ClusterErrors.NODE_LOST, "node " + nodeId + " went away (" + reason + ")");
        }
    }

    /** Fails the requests whose deadline passed; called periodically. */
    void expire() {
        for (PendingRequests.Entry<Waiter> entry : pending.expire()) {
            fail(entry, ClusterErrors.REQUEST_TIMEOUT, "node " + entry.nodeId() + " did not answer in "
                    + timeout.toMillis() + " ms");
        }
    }

    /** Fails every request still waiting with {@code code} (the gate is closing). */
    void failAll(ErrorCode code, String message) {
        for (PendingRequests.Entry<Waiter> entry : pending.drainAll()) {
            fail(entry, code, message);
        }
    }

    int size() {
        return pending.size();
    }

    /**
     * Sends a request recorded in the table. A link that closes after this check fails it in {@link #nodeLost}, which
     * runs once the link is closed: the request is in the table by then. No promise per request.
     */
    private void send(Link link, Envelope envelope, long requestId) {
        if (!link.send(envelope)) {
            fail(pending.complete(requestId), ClusterErrors.NODE_UNREACHABLE, "cannot reach node " + link.peerNodeId());
        }
    }

    private void fail(PendingRequests.Entry<Waiter> entry, ErrorCode code, String message) {
        if (entry == null) {
            return;
        }
        if (entry.value() instanceof ClientWaiter client) {
            client.from().requestEnded();
        } else if (entry.value() instanceof RelayWaiter relay) {
            relay.ended();
        }
        refuse(entry.value(), code, message);
    }

    /** Answers the waiter with an error; for a request that ended or never started. */
    private void refuse(Waiter waiter, ErrorCode code, String message) {
        if (waiter instanceof RelayWaiter relay) {
            refuseRelay(relay.origin(), relay.originRequestId(), code, message);
            return;
        }
        ClientWaiter client = (ClientWaiter) waiter;
        metrics.requestFailed(code);
        ClientReplies.error(client.session(), client.clientRequestId(), code, message);
    }

    /** Answers a relayed call with an error, whether or not it was counted in yet. */
    private void refuseRelay(Link origin, long originRequestId, ErrorCode code, String message) {
        metrics.requestFailed(code);
        origin.send(Envelopes.errorResponse(originRequestId, code.code(), message));
    }
}
