package io.switchboard.gate.internal;

import io.switchboard.gate.Acceptance;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.gate.ResumeRefusal;
import io.switchboard.protocol.HandshakeRequest;

/**
 * Decides, when the gate answers a handshake, whether it resumes a session (DESIGN §11): the handshake's
 * {@code user.resume} token must be the current one of a session this gate holds, and its {@code user.received}
 * count one the session's push buffer still covers. A session still on an open connection (half-open TCP) loses it.
 * A token another gate of the cluster made is refused at once, and that gate is asked to release its session.
 */
final class Resumption {
    /** What came of it: a claimed {@code session} and its new {@code token}, or a {@code refusal}, or neither. */
    record Outcome(DefaultSession session, long received, String token, ResumeRefusal refusal) {
        boolean asked() {
            return session != null || refusal != null;
        }
    }

    static final Outcome NOT_ASKED = new Outcome(null, 0, null, null);

    private Resumption() {
    }

    static Outcome attempt(GateContext gate, HandshakeRequest request, Acceptance verdict, boolean compress,
                           HandshakeInfo.Transport transport) {
        String token = request.resumeToken();
        if (token == null) {
            return NOT_ASKED;
        }
        Outcome outcome = claim(gate, token, request.resumeReceived(), verdict, compress, transport);
        if (outcome.refusal() != null) {
            gate.metrics().resumeRefused(outcome.refusal());
        }
        return outcome;
    }

    private static Outcome claim(GateContext gate, String text, long received, Acceptance verdict, boolean compress,
                                 HandshakeInfo.Transport transport) {
        ParkedSessions parked = gate.parked();
        if (!parked.enabled()) {
            return refused(ResumeRefusal.RESUME_DISABLED);
        }
        ResumeTokens.Token token = ResumeTokens.parse(text);
        if (token == null) {
            return refused(ResumeRefusal.INVALID_TOKEN);
        }
        if (!parked.madeHere(token)) {
            // Fast, and the session does not linger there for its grace period with its rooms and user.
            parked.releaseElsewhere(token, text);
            return refused(ResumeRefusal.OTHER_GATE);
        }
        if (!(gate.channelMap().get(token.sessionId()) instanceof DefaultSession session)) {
            return refused(ResumeRefusal.UNKNOWN_SESSION);
        }
        if (received == HandshakeRequest.NO_COUNT) {
            return refused(ResumeRefusal.BAD_RECEIVED_COUNT);
        }
        DefaultSession.Claim claim = session.claim(token.secret(), received, compress, transport, verdict.userId(),
                parked.newSecret());
        if (claim.refusal() != null) {
            return refused(claim.refusal());
        }
        if (claim.halfOpen() != null) {
            parked.heldForResume(session);
            Kicks.close(claim.halfOpen(), CloseReason.RESUMED_ELSEWHERE);
        }
        return new Outcome(session, received, claim.token(), null);
    }

    private static Outcome refused(ResumeRefusal why) {
        return new Outcome(null, 0, null, why);
    }
}
