package io.switchboard.cluster.internal;

import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.protocol.proto.Envelope;

import java.util.ArrayList;
import java.util.List;

/**
 * Links to pretend nodes for unit tests: each over an {@link EmbeddedChannel}, whose outbound queue holds the
 * envelopes sent on it. Close it to close them all.
 */
final class TestLinks implements AutoCloseable {
    static final int GATE_ID = 7;

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /** An open link to node {@code nodeId} of type {@code type}. */
    Link open(int nodeId, String type) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        return new Link(channel, nodeId, type);
    }

    /** The envelopes sent on the link since the last call. */
    static List<Envelope> sent(Link link) {
        EmbeddedChannel channel = (EmbeddedChannel) link.channel();
        List<Envelope> sent = new ArrayList<>();
        for (Envelope envelope; (envelope = channel.readOutbound()) != null; ) {
            sent.add(envelope);
        }
        return sent;
    }

    @Override
    public void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }
}
