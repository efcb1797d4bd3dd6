package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.gate.ChannelMap;
import io.switchboard.api.Session;

import java.util.function.Predicate;

/** The gate's open sessions, for envelopes that name one: known once the gate server has started. */
final class GateSessions {
    private volatile ChannelMap channels;
    private volatile Predicate<String> releaser = token -> false;

    void channels(ChannelMap channels) {
        this.channels = channels;
    }

    /** Ends the session a resume token names, if the token is its whole current one (the gate's own check). */
    void releaser(Predicate<String> releaser) {
        this.releaser = releaser;
    }

    boolean release(String token) {
        return releaser.test(token);
    }

    /** The open session of this id, or {@code null}. */
    Session get(long sessionId) {
        ChannelMap map = channels;
        return map == null ? null : map.get(sessionId);
    }

    /** The open session the envelope names, or {@code null}. */
    Session of(Envelope envelope) {
        return get(Envelopes.sessionId(envelope));
    }
}
