package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.api.FanOut;
import io.switchboard.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Nodes' PUSH and BROADCAST envelopes, delivered to the gate's sessions they name; gone sessions are skipped. */
final class SessionPushes {
    private static final Logger log = LoggerFactory.getLogger(SessionPushes.class);

    private final GateSessions sessions;

    SessionPushes(GateSessions sessions) {
        this.sessions = sessions;
    }

    void push(Envelope envelope) {
        Session session = sessions.of(envelope);
        if (session == null) {
            log.debug("push {} to a gone session {}", Envelopes.route(envelope), Envelopes.sessionId(envelope));
            return;
        }
        session.push(Envelopes.route(envelope), Envelopes.payload(envelope).toByteArray());
    }

    /** One body for many sessions of this gate: encoded once per client encoding (see {@link FanOut}). */
    void broadcast(Envelope envelope) {
        int count = Envelopes.targetSessionIdCount(envelope);
        List<Session> targets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Session session = sessions.get(Envelopes.targetSessionId(envelope, i));
            if (session != null) {
                targets.add(session);
            }
        }
        FanOut.pushAll(targets, Envelopes.route(envelope), Envelopes.payload(envelope).toByteArray());
    }
}
