package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.ClusterSessionIds;
import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.cluster.protocol.SystemRoutes;

import io.switchboard.api.OnlineUsers;
import io.switchboard.api.errors.GateErrors;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.api.errors.RuntimeErrors;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.RemoteCallException;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.api.Session;
import io.switchboard.handler.HandlerInvoker;
import io.switchboard.api.HandlerTable;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.MessageType;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The service node's side of cluster mode: runs the requests and notifies that gates forward through the node's
 * {@link Handlers} (filters first, as the gate's dispatcher does), one session's messages at a time and in order,
 * on the worker pool, or, for a route marked non-blocking when nothing of its session is queued or running, on the
 * link's thread that read it (as a gate runs it on the connection's I/O thread); answers over the link the request
 * came on; keeps a {@link RemoteSession} per session placed
 * here until its gate says it closed; and makes node-to-node calls through a gate.
 */
public final class NodeRuntime implements LinkListener {
    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);
    private static final long NO_DEADLINE = Long.MIN_VALUE;

    private final IntSupplier selfNodeId;
    private final HandlerInvoker invoker;
    private final HandlerTable routes;
    private final Executor workers;
    private final Serializer serializer;
    private final LinkSettings settings;
    private final ClusterMetrics metrics;
    private final Consumer<Link> linkChanged;
    private final Runnable sessionGone;
    private final OnlineUsers users;
    private final Map<Integer, Link> gateLinks = new ConcurrentHashMap<>();
    private final Map<Long, RemoteSession> sessions = new ConcurrentHashMap<>();
    private final PendingRequests<CompletableFuture<byte[]>> calls;
    private final GateBroadcastFanOut fanOut;
    private volatile boolean stopped;
    /** Requests taken (queued or running) and not answered yet. */
    private final AtomicInteger requestsInHand = new AtomicInteger();
    private final SessionLimits sessionLimits;

    /**
     * What one client session may have in hand on this node, in messages and their body bytes: queued, running, or
     * held by a handler's stage not done yet. A gate bounds a session's requests in flight, but not its notifies, and a
     * room's handler returns at once: without this a client could queue work on a node without bound. Past it a
     * request is answered {@code TOO_MANY_PENDING} and a notify dropped and counted.
     */
    public record SessionLimits(int maxMessages, long maxBytes) {
        /** As a standalone gate's: 256 messages, 1 MiB of bodies. */
        public static final SessionLimits DEFAULTS = new SessionLimits(256, 1 << 20);

        public SessionLimits {
            if (maxMessages < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("session limits must be at least 1: " + maxMessages + ", "
                        + maxBytes);
            }
        }
    }

    public NodeRuntime(IntSupplier selfNodeId, Handlers handlers, Executor workers, Serializer serializer,
                       LinkSettings settings, ClusterMetrics metrics, Consumer<Link> linkChanged,
                       Runnable sessionGone, OnlineUsers users) {
        this(selfNodeId, handlers, workers, serializer, settings, metrics, linkChanged, sessionGone, users,
                SessionLimits.DEFAULTS);
    }

    public NodeRuntime(IntSupplier selfNodeId, Handlers handlers, Executor workers, Serializer serializer,
                       LinkSettings settings, ClusterMetrics metrics, Consumer<Link> linkChanged,
                       Runnable sessionGone, OnlineUsers users, SessionLimits sessionLimits) {
        this.sessionLimits = sessionLimits;
        this.users = users;
        this.selfNodeId = selfNodeId;
        this.invoker = new HandlerInvoker(handlers, serializer);
        this.routes = handlers.table();
        this.workers = workers;
        this.serializer = serializer;
        this.settings = settings;
        this.metrics = metrics;
        this.linkChanged = linkChanged;
        this.sessionGone = sessionGone;
        this.calls = new PendingRequests<>(settings.ticker());
        this.fanOut = new GateBroadcastFanOut(selfNodeId, gateLinks::get);
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Gate node ids this node is linked to. */
    public java.util.Set<Integer> linkedGates() {
        java.util.Set<Integer> linked = new java.util.HashSet<>();
        gateLinks.forEach((id, link) -> {
            if (link.isActive()) {
                linked.add(id);
            }
        });
        return linked;
    }

    public Link gateLink(int gateNodeId) {
        return gateLinks.get(gateNodeId);
    }

    /** After this, requests are refused with {@link ClusterErrors#SHUTTING_DOWN}; links close at once. */
    public void stop() {
        stop(Duration.ZERO);
    }

    /**
     * Refuses new requests with {@link ClusterErrors#SHUTTING_DOWN}, waits up to {@code limit} for the requests taken
     * already to be answered (their gates would otherwise fail them with {@code NODE_LOST}, though they may have
     * run), then closes the links.
     */
    public void stop(Duration limit) {
        stopped = true;
        if (!Quiesce.await(requestsInHand::get, limit)) {
            log.warn("{} requests still unanswered after {}; closing the links anyway", requestsInHand.get(), limit);
        }
        gateLinks.values().forEach(link -> link.close(LinkCloseReason.LOCAL_CLOSE));
        for (PendingRequests.Entry<CompletableFuture<byte[]>> call : calls.drainAll()) {
            call.value().completeExceptionally(new RemoteCallException(ClusterErrors.SHUTTING_DOWN.code(),
                    "the node is stopping"));
        }
    }

    // ---- links ----------------------------------------------------------------------------------------------

    @Override
    public void linkUp(Link link) {
        if (!NodeMetadata.GATE_TYPE.equals(link.peerType())) {
            log.warn("{} is not a gate; closing", link);
            link.close(LinkCloseReason.PROTOCOL_VIOLATION);
            return;
        }
        Link old = gateLinks.put(link.peerNodeId(), link);
        if (old != null && old != link) {
            old.close(LinkCloseReason.LOCAL_CLOSE);
        }
        log.info("linked to gate {}", link.peerNodeId());
        linkChanged.accept(link);
    }

    @Override
    public void linkDown(Link link, LinkCloseReason reason) {
        if (!gateLinks.remove(link.peerNodeId(), link)) {
            return;
        }
        log.info("link to gate {} closed: {}", link.peerNodeId(), reason);
        for (PendingRequests.Entry<CompletableFuture<byte[]>> call : calls.failNode(link.peerNodeId())) {
            metrics.requestFailed(ClusterErrors.NODE_LOST);
            call.value().completeExceptionally(new RemoteCallException(ClusterErrors.NODE_LOST.code(),
                    "the gate relaying the call went away"));
        }
        // The gate is dead or cut off: its sessions cannot be reached, so they leave their rooms now, within the
        // link's dead-peer timeout, rather than when the registry notices. The gate clears its side the same way.
        if (!stopped) {
            for (RemoteSession session : sessions.values()) {
                if (session.gateNodeId() == link.peerNodeId()) {
                    closeSession(session, "gate link lost (" + reason + ")");
                }
            }
        }
        linkChanged.accept(link);
    }

    /** The gate left the cluster: its sessions are gone. */
    public void gateGone(int gateNodeId) {
        for (RemoteSession session : sessions.values()) {
            if (session.gateNodeId() == gateNodeId) {
                closeSession(session, "gate left the cluster");
            }
        }
    }

    @Override
    public void received(Link link, Envelope envelope) {
        Kind kind = Envelopes.kind(envelope);
        switch (kind) {
            case REQUEST, NOTIFY -> {
                if (kind == Kind.NOTIFY && SystemRoutes.SESSION_RELEASE.equals(Envelopes.route(envelope))) {
                    relayRelease(link, envelope);
                } else if (kind == Kind.NOTIFY && SystemRoutes.SESSION_CLOSED.equals(Envelopes.route(envelope))) {
                    RemoteSession session = sessions.get(ClusterSessionIds.of(Envelopes.gateId(envelope),
                            Envelopes.sessionId(envelope)));
                    if (session != null) {
                        closeSession(session, "closed on its gate");
                    }
                } else {
                    dispatch(link, envelope, kind == Kind.REQUEST);
                }
            }
            case RESPONSE -> answer(link, envelope);
            default -> {
                log.warn("gate {} sent a {} envelope; closing its link", link.peerNodeId(), kind);
                link.close(LinkCloseReason.PROTOCOL_VIOLATION);
            }
        }
    }

    /** A gate asks the gate holding a session to release it (its client resumed elsewhere): passed on unchanged. */
    private void relayRelease(Link from, Envelope envelope) {
        Link holder = gateLinks.get(Envelopes.gateId(envelope));
        if (holder != null && holder != from && holder.isActive()) {
            holder.send(envelope);
        } else {
            log.debug("cannot relay a session release from gate {} to gate {}", from.peerNodeId(),
                    Envelopes.gateId(envelope));
        }
    }

    private void closeSession(RemoteSession session, String reason) {
        // In the session's order, so messages already queued run before its close listeners.
        Runnable close = () -> {
            if (sessions.remove(session.id(), session)) {
                session.fireClosed(reason);
                sessionGone.run();
            }
        };
        try {
            session.serial().execute(close);
        } catch (RejectedExecutionException e) {
            // Refused only when nothing of the session is queued, so running it here keeps its order.
            close.run();
        }
    }

    private void dispatch(Link link, Envelope envelope, boolean request) {
        String route = Envelopes.route(envelope);
        long requestId = Envelopes.requestId(envelope);
        byte[] body = Envelopes.payload(envelope).toByteArray();
        if (stopped) {
            if (request) {
                link.send(Envelopes.errorResponse(requestId, ClusterErrors.SHUTTING_DOWN.code(), "the node is stopping"));
            }
            return;
        }
        MessageType type = request ? MessageType.REQUEST : MessageType.NOTIFY;
        HandlerTable.Entry entry = routes.lookup(route); // null: the invoker answers that no handler has the route
        long deadline = deadline(envelope);
        // The answer carries the request's hop timestamps on, so the gate sees the whole trip.
        List<Long> trace = envelope.getTimestampList();
        if (request) {
            requestsInHand.incrementAndGet();
        }
        if (!envelope.hasSessionId()) {
            // A call from another node: no client session behind it.
            RemoteSession detached = new RemoteSession(link.peerNodeId(), 0, selfNodeId.getAsInt(), gateLinks::get,
                    serializer, workers, fanOut, users, null);
            try {
                workers.execute(() -> handle(link, detached, type, requestId, route, entry, body, deadline, trace,
                        NOTHING_HELD));
            } catch (RejectedExecutionException e) {
                overloaded(link, request, requestId);
            }
            return;
        }
        int gateId = Envelopes.gateId(envelope);
        long sessionId = Envelopes.sessionId(envelope);
        RemoteSession session = sessions.computeIfAbsent(ClusterSessionIds.of(gateId, sessionId),
                id -> new RemoteSession(gateId, sessionId, selfNodeId.getAsInt(), gateLinks::get, serializer,
                        workers, fanOut, users, Envelopes.clientAddress(envelope)));
        session.userIdBound(envelope.hasUserId() ? Envelopes.userId(envelope) : null);
        if (!session.takeMessage(body.length, sessionLimits.maxMessages(), sessionLimits.maxBytes())) {
            tooManyInHand(link, request, requestId, route, session);
            return;
        }
        Runnable held = () -> session.messageDone(body.length);
        Runnable work = () -> handle(link, session, type, requestId, route, entry, body, deadline, trace, held);
        if (entry != null && entry.nonBlocking() && session.serial().tryRunHere(work)) {
            return; // ran on this thread: two hand-offs fewer, in the session's order all the same
        }
        try {
            session.serial().execute(work);
        } catch (RejectedExecutionException e) {
            held.run();
            overloaded(link, request, requestId);
        }
    }

    /** A message of a session over its {@link SessionLimits}: not run; a request is answered at once. */
    private void tooManyInHand(Link link, boolean request, long requestId, String route, RemoteSession session) {
        log.debug("session {} has its limit of work in hand; refusing {}", session.id(), route);
        if (request) {
            requestsInHand.decrementAndGet();
            metrics.requestFailed(GateErrors.TOO_MANY_PENDING);
            link.send(Envelopes.errorResponse(requestId, GateErrors.TOO_MANY_PENDING));
        } else {
            metrics.notifyDropped();
        }
    }

    /** For messages not counted against a session's limits (calls from other nodes). */
    private static final Runnable NOTHING_HELD = () -> { };

    /** The workers' queue is full: the message is not run, and a request is answered at once (a link stays up). */
    private void overloaded(Link link, boolean request, long requestId) {
        if (request) {
            requestsInHand.decrementAndGet();
            link.send(Envelopes.errorResponse(requestId, RuntimeErrors.OVERLOADED));
        }
    }

    /** When, on this node's ticker, the sender stops waiting; {@link #NO_DEADLINE} when it sent no remaining time. */
    private long deadline(Envelope envelope) {
        long remainingMs = Envelopes.remainingMs(envelope);
        return remainingMs < 0 ? NO_DEADLINE : settings.ticker().nanoTime() + TimeUnit.MILLISECONDS.toNanos(remainingMs);
    }

    /** Runs one message; {@code held} runs once its work is over: at once, or when the handler's stage is done. */
    private void handle(Link link, Session session, MessageType type, long requestId, String route,
                        HandlerTable.Entry entry, byte[] body, long deadline, List<Long> trace, Runnable held) {
        if (deadline != NO_DEADLINE && settings.ticker().nanoTime() - deadline >= 0) {
            // Its sender has answered it with a timeout already: running it would only add load, and its answer
            // would be dropped. Not answered either, for the same reason.
            metrics.requestExpired();
            if (type == MessageType.REQUEST) {
                requestsInHand.decrementAndGet();
            }
            log.debug("dropped {} #{} unrun: its deadline passed while it was queued", route, requestId);
            held.run();
            return;
        }
        HandlerInvoker.Reply reply = new HandlerInvoker.Reply() {
            @Override
            public void ok(byte[] response) {
                Envelope answer = Envelopes.builder(Kind.RESPONSE).requestId(requestId)
                        .sourceNodeId(selfNodeId.getAsInt()).timestamps(trace).ownedPayload(response).build();
                if (Envelopes.fitsInFrame(answer)) {
                    answered(answer);
                } else {
                    // The client gets a clear error now, not a timeout; the link carries on.
                    error(HandlerErrors.ANSWER_TOO_LARGE.code(), "the answer of " + route + " has " + response.length
                            + " bytes; a cluster link carries at most " + Envelopes.MAX_SERIALIZED_SIZE);
                }
            }

            @Override
            public void error(long code, String message) {
                answered(Envelopes.builder(Kind.RESPONSE).requestId(requestId).timestamps(trace).error(code, message)
                        .build());
            }

            private void answered(Envelope answer) {
                link.send(answer);
                if (type == MessageType.REQUEST) {
                    requestsInHand.decrementAndGet();
                }
            }
        };
        CompletionStage<Void> done = invoker.invoke(session, type, requestId, route, entry, body, reply);
        if (done == HandlerInvoker.DONE) {
            held.run();
        } else {
            done.whenComplete((ignored, error) -> held.run());
        }
    }

    // ---- calls to other nodes -------------------------------------------------------------------------------

    /**
     * Calls {@code route} on node {@code targetNodeId}, relayed by one of this node's gates. The answer's body,
     * or a {@link RemoteCallException}: the remote handler's error, or a {@link ClusterErrors} code; an
     * {@link IllegalArgumentException} for a call larger than a link frame carries.
     */
    public CompletableFuture<byte[]> call(int targetNodeId, String route, byte[] body) {
        if (stopped) {
            return CompletableFuture.failedFuture(new RemoteCallException(ClusterErrors.SHUTTING_DOWN.code(),
                    "the node is stopping"));
        }
        List<Link> relays = new ArrayList<>();
        gateLinks.values().forEach(link -> {
            if (link.isActive()) {
                relays.add(link);
            }
        });
        if (relays.isEmpty()) {
            return CompletableFuture.failedFuture(new RemoteCallException(ClusterErrors.NODE_UNREACHABLE.code(),
                    "no gate to relay the call"));
        }
        // Spread calls over the gates; the target is linked to all of them.
        Link relay = relays.get(Math.floorMod(targetNodeId + route.hashCode(), relays.size()));
        return call(relay, Envelopes.builder(Kind.REQUEST)
                .route(route)
                .sourceNodeId(selfNodeId.getAsInt())
                .targetNodeId(targetNodeId)
                .payload(body));
    }

    /**
     * Asks gate {@code gateNodeId} itself (a {@code sys.*} route, see {@link SystemRoutes#USER_LOGIN}), or, when
     * it is negative, a linked gate chosen by {@code key}: calls with one key take one gate while the links stay, so
     * pushes to one user stay in order. The answer's body, or a {@link RemoteCallException}.
     */
    public CompletableFuture<byte[]> callGate(int gateNodeId, String key, EnvelopeBuilder request) {
        if (stopped) {
            return CompletableFuture.failedFuture(new RemoteCallException(ClusterErrors.SHUTTING_DOWN.code(),
                    "the node is stopping"));
        }
        if (gateNodeId < 0) {
            return callAnyGate(key, request, -1);
        }
        Link gate = gateLinks.get(gateNodeId);
        if (gate == null || !gate.isActive()) {
            return CompletableFuture.failedFuture(new RemoteCallException(ClusterErrors.NODE_UNREACHABLE.code(),
                    "no link to gate " + gateNodeId));
        }
        return call(gate, request.sourceNodeId(selfNodeId.getAsInt()));
    }

    /**
     * A call any gate can relay (a lookup, push or kick by user id), to the gate chosen by {@code key}. When that
     * gate goes away under the call (or its link cannot be written), it is made once more through another gate:
     * the user may be online on a gate that is fine, and a push dropped with the relay would be lost for a client
     * that stays connected. A relay that dies after passing the call on may thus have it made twice (at least once).
     */
    private CompletableFuture<byte[]> callAnyGate(String key, EnvelopeBuilder request, int failedRelay) {
        List<Link> active = gateLinks.values().stream().filter(l -> l.isActive() && l.peerNodeId() != failedRelay)
                .sorted(java.util.Comparator.comparingInt(Link::peerNodeId)).toList();
        if (active.isEmpty()) {
            return CompletableFuture.failedFuture(new RemoteCallException(ClusterErrors.NODE_UNREACHABLE.code(),
                    "no gate linked"));
        }
        Link relay = active.get(Math.floorMod(key.hashCode(), active.size()));
        CompletableFuture<byte[]> answer = call(relay, request.sourceNodeId(selfNodeId.getAsInt()));
        if (failedRelay >= 0) {
            return answer;
        }
        return answer.handle((bytes, error) -> error == null ? CompletableFuture.completedFuture(bytes)
                : relayLost(error) ? callAnyGate(key, request, relay.peerNodeId())
                : CompletableFuture.<byte[]>failedFuture(error)).thenCompose(f -> f);
    }

    /** Whether a call failed because its relay gate went away, rather than with the gate's answer. */
    private static boolean relayLost(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof RemoteCallException remote && (remote.code() == ClusterErrors.NODE_LOST.code()
                || remote.code() == ClusterErrors.NODE_UNREACHABLE.code());
    }

    private CompletableFuture<byte[]> call(Link relay, EnvelopeBuilder request) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        // Registered under the relay: if that gate goes, the call is lost with it.
        long id = calls.add(relay.peerNodeId(), settings.requestTimeout().toNanos(), answer);
        if (id == 0) {
            metrics.requestFailed(RuntimeErrors.OVERLOADED);
            answer.completeExceptionally(new RemoteCallException(RuntimeErrors.OVERLOADED.code(),
                    "this node waits for " + calls.capacity() + " calls already"));
            return answer;
        }
        Envelope call = request.requestId(id).remainingMs(settings.requestTimeout().toMillis()).build();
        if (!Envelopes.fitsInFrame(call)) {
            // No gate would carry it: failed here, once, rather than tried on every gate as a lost relay.
            calls.complete(id);
            answer.completeExceptionally(new IllegalArgumentException("a call to " + Envelopes.route(call) + " of "
                    + call.getSerializedSize() + " bytes is larger than a link frame carries ("
                    + Envelopes.MAX_SERIALIZED_SIZE + ")"));
            return answer;
        }
        relay.sendTracked(call).addListener(f -> {
            if (!f.isSuccess()) {
                PendingRequests.Entry<CompletableFuture<byte[]>> entry = calls.complete(id);
                if (entry != null) {
                    entry.value().completeExceptionally(new RemoteCallException(
                            ClusterErrors.NODE_UNREACHABLE.code(), "cannot write to gate " + relay.peerNodeId()));
                }
            }
        });
        return answer;
    }

    /** A gate's answer to a call this node made through it; one it did not relay is dropped. */
    private void answer(Link from, Envelope envelope) {
        PendingRequests.Entry<CompletableFuture<byte[]>> entry = calls.complete(Envelopes.requestId(envelope),
                from.peerNodeId());
        if (entry == null) {
            return;
        }
        if (Envelopes.isError(envelope)) {
            entry.value().completeExceptionally(new RemoteCallException(Envelopes.errorCode(envelope),
                    Envelopes.errorInfo(envelope)));
        } else {
            entry.value().complete(Envelopes.payload(envelope).toByteArray());
        }
    }

    /** Fails the calls whose deadline passed; called periodically. */
    public void expire() {
        for (PendingRequests.Entry<CompletableFuture<byte[]>> call : calls.expire()) {
            metrics.requestFailed(ClusterErrors.REQUEST_TIMEOUT);
            call.value().completeExceptionally(new RemoteCallException(ClusterErrors.REQUEST_TIMEOUT.code(),
                    "no answer within " + settings.requestTimeout().toMillis() + " ms"));
        }
    }
}
