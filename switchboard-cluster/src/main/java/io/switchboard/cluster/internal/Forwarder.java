package io.switchboard.cluster.internal;

import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.EnvelopeExtensions;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.time.Ticker;
import io.switchboard.api.Session;

import java.time.Duration;

/**
 * Requests the gate sends to nodes, from its clients or relayed for other nodes, until each ends exactly once:
 * answered, failed when its node's link drops or cannot be written, or failed when {@link #expire()} finds it past
 * the request timeout on the {@link Ticker}. Failures are counted in {@link ClusterMetrics}.
 */
final class Forwarder {
    private final LinkTable links;
    private final ClusterMetrics metrics;
    private final Duration timeout;
    private final PendingRequests<Waiter> pending;

    /** Who gets the answer of a forwarded request. */
    private sealed interface Waiter permits ClientWaiter, RelayWaiter {
    }

    private record ClientWaiter(Session session, long clientRequestId) implements Waiter {
    }

    private record RelayWaiter(Link origin, long originRequestId) implements Waiter {
    }

    Forwarder(LinkTable links, ClusterMetrics metrics, Ticker ticker, Duration timeout) {
        this.links = links;
        this.metrics = metrics;
        this.timeout = timeout;
        this.pending = new PendingRequests<>(ticker);
    }

    /** Sends a client's request; the client is answered under {@code clientRequestId}. */
    void request(Link link, EnvelopeBuilder request, Session session, long clientRequestId) {
        long requestId = pending.add(link.peerNodeId(), timeout.toNanos(), new ClientWaiter(session, clientRequestId));
        send(link, request.requestId(requestId).build(), requestId);
    }

    /** A node's request for another node: forwarded under a gate request id, answered back under the caller's. */
    void relay(Link origin, Envelope request) {
        long originId = Envelopes.requestId(request);
        Link target = request.hasExtension(EnvelopeExtensions.targetNodeId)
                ? links.active(Envelopes.targetNodeId(request)) : null;
        if (target == null) {
            metrics.requestFailed(ClusterErrors.NODE_UNREACHABLE);
            origin.send(Envelopes.errorResponse(originId, ClusterErrors.NODE_UNREACHABLE.code(),
                    "node " + Envelopes.targetNodeId(request) + " is not linked to this gate"));
            return;
        }
        long requestId = pending.add(target.peerNodeId(), timeout.toNanos(), new RelayWaiter(origin, originId));
        send(target, request.toBuilder().setExtension(EnvelopeExtensions.requestId, requestId).build(), requestId);
    }

    /** A node's RESPONSE: to the client or node that waits for it; dropped when the request ended already. */
    void answer(Envelope response) {
        PendingRequests.Entry<Waiter> entry = pending.complete(Envelopes.requestId(response));
        if (entry == null) {
            return; // answered after its timeout: the waiter has its error already
        }
        if (entry.value() instanceof RelayWaiter relay) {
            relay.origin().send(response.toBuilder()
                    .setExtension(EnvelopeExtensions.requestId, relay.originRequestId()).build());
            return;
        }
        ClientWaiter client = (ClientWaiter) entry.value();
        if (Envelopes.isError(response)) {
            ClientReplies.error(client.session(), client.clientRequestId(), Envelopes.errorCode(response),
                    Envelopes.errorInfo(response));
        } else {
            ClientReplies.ok(client.session(), client.clientRequestId(), Envelopes.payload(response).toByteArray());
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

    int size() {
        return pending.size();
    }

    private void send(Link link, Envelope envelope, long requestId) {
        link.sendTracked(envelope).addListener(f -> {
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
            ClientReplies.error(client.session(), client.clientRequestId(), code, message);
        } else if (entry.value() instanceof RelayWaiter relay) {
            relay.origin().send(Envelopes.errorResponse(relay.originRequestId(), code.code(), message));
        }
    }
}
