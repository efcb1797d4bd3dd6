package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.SystemRoutes;

import io.switchboard.gate.GateSession;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.api.Session;
import io.switchboard.gate.StateListener;
import io.switchboard.protocol.Json;
import io.switchboard.users.UserSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The gate's bookkeeping of its sessions for the nodes. It opens a session's {@link RoutedSession} when it connects
 * (logging in a user the acceptor bound at the handshake) and, when it disconnects, drops it and tells each node the
 * session was pinned to. It applies the nodes' upkeep notices (bind, kick, room joined and left), and when a node is
 * lost it tells the members of that node's rooms, which the node no longer can.
 */
final class SessionUpkeep implements StateListener {
    private static final Logger log = LoggerFactory.getLogger(SessionUpkeep.class);

    private final GateSessions sessions;
    private final RoutedSessions routed;
    private final ClosedNotices closed;
    private final UserSessions users;
    private final StateListener userStateListener;
    private final Runnable sessionGone;

    SessionUpkeep(GateSessions sessions, RoutedSessions routed, ClosedNotices closed, UserSessions users,
                  StateListener userStateListener, Runnable sessionGone) {
        this.sessions = sessions;
        this.routed = routed;
        this.closed = closed;
        this.users = users;
        this.userStateListener = userStateListener;
        this.sessionGone = sessionGone;
    }

    @Override
    public void connected(GateSession session) {
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
    public void disconnected(GateSession session, String reason) {
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

    /** A node's NOTIFY about one of this gate's sessions; ignored once the session is gone. */
    void notice(Envelope envelope) {
        Session session = sessions.of(envelope);
        if (session == null) {
            return;
        }
        String payload = Envelopes.payload(envelope).toStringUtf8();
        switch (Envelopes.route(envelope)) {
            case SystemRoutes.SESSION_BIND -> {
                // Through the directory, so single login holds across gates; a refusal leaves the session unbound.
                CompletableFuture<?> done = payload.isEmpty() ? users.logout(session) : users.login(session, payload);
                done.exceptionally(e -> {
                    log.info("bind of {} to '{}' refused: {}", session, payload, e.getMessage());
                    return null;
                });
            }
            case SystemRoutes.SESSION_KICK -> session.kick(payload);
            case SystemRoutes.SESSION_RELEASE -> {
                if (sessions.release(payload)) {
                    log.debug("released {}: resumed on another gate", session);
                }
            }
            case SystemRoutes.ROOM_JOINED, SystemRoutes.ROOM_LEFT -> room(session, envelope, payload);
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
        if (SystemRoutes.ROOM_JOINED.equals(Envelopes.route(envelope))) {
            state.joined(nodeId, room);
        } else {
            state.left(nodeId, room);
        }
    }

    /** The node's rooms are gone with its link: their members hear it from here, the node cannot tell them. */
    void nodeLost(int nodeId, String reason) {
        for (RoutedSession state : routed.all()) {
            for (String room : state.dropRooms(nodeId)) {
                state.session().push(FrameworkRoutes.ROOM_CLOSED, Json.MAPPER.createObjectNode().put("room", room)
                        .put("reason", reason).toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
