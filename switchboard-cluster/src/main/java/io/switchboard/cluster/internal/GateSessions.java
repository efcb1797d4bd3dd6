package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.gate.ChannelMap;
import io.switchboard.api.Session;

/** The gate's open sessions, for envelopes that name one: known once the gate server has started. */
final class GateSessions {
    private volatile ChannelMap channels;

    void channels(ChannelMap channels) {
        this.channels = channels;
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
