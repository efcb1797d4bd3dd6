package io.switchboard.cluster.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSecurity;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.ClusterFrameDecoder;
import io.switchboard.cluster.protocol.ClusterFrameEncoder;
import io.switchboard.cluster.protocol.EnvelopeDecoder;
import io.switchboard.cluster.protocol.EnvelopeEncoder;
import io.switchboard.cluster.protocol.FrameAddressing;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.port.PortPlan;
import io.switchboard.common.time.ManualTicker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two ends of links over {@link EmbeddedChannel}s, for unit tests of the link pipeline: a gate (node id
 * {@value #GATE_ID}, the acceptor) and nodes (the dialers) on a manual ticker, with what each end's listener saw.
 * Close it to release everything.
 */
final class EmbeddedLinks implements AutoCloseable {
    static final int GATE_ID = 7;
    static final Duration CHECK = Duration.ofMillis(100);

    final ManualTicker ticker = new ManualTicker();
    final LinkSettings settings = LinkSettings.defaults().withTicker(ticker)
            .withPing(Duration.ofSeconds(1), Duration.ofSeconds(3)).withCheckInterval(CHECK);
    final ClusterMetrics gateMetrics = ClusterMetrics.inMemory();
    final ClusterMetrics nodeMetrics = ClusterMetrics.inMemory();
    final RecordingListener gateSide = new RecordingListener();
    final RecordingListener nodeSide = new RecordingListener();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    EmbeddedChannel gate(LinkSecurity security, PeerCheck peers) {
        return open(gatePort(security, peers));
    }

    /** A gate's link port: each {@link #open(LinkChannelInitializer)} of it is a connection accepted there. */
    LinkChannelInitializer gatePort(LinkSecurity security, PeerCheck peers) {
        return new LinkChannelInitializer(() -> GATE_ID, "gate", LinkRole.ACCEPTOR, settings, security, peers,
                gateSide, gateMetrics);
    }

    EmbeddedChannel node(int nodeId, String type, LinkSecurity security, PeerCheck peers) {
        return open(new LinkChannelInitializer(() -> nodeId, type, LinkRole.DIALER, settings, security, peers,
                nodeSide, nodeMetrics));
    }

    /** A channel that only encodes and decodes envelopes: a raw peer that says whatever a test makes it say. */
    EmbeddedChannel raw() {
        return open(new EmbeddedChannel(new ClusterFrameDecoder(),
                new EnvelopeDecoder(), new ClusterFrameEncoder(), new EnvelopeEncoder(), new AddressedAsDeclared()));
    }

    /**
     * Puts on each envelope the frame header a real peer would: the service of the last HELLO it said (a service
     * node's before any), the default project, the envelope's session. One per raw peer.
     */
    static final class AddressedAsDeclared extends MessageToMessageEncoder<Envelope> {
        private String declaredType = "demo";

        @Override
        protected void encode(ChannelHandlerContext ctx, Envelope envelope, List<Object> out) {
            if (envelope.getKind() == Kind.CONTROL && envelope.getControl().getType() == ControlType.HELLO) {
                declaredType = envelope.getControl().getNodeType();
            }
            out.add(ClusterEnvelope.of(FrameAddressing.serviceId(declaredType), PortPlan.DEFAULT_PROJECT,
                    FrameAddressing.sessionId(envelope), envelope));
        }
    }

    EmbeddedChannel open(LinkChannelInitializer initializer) {
        return open(new EmbeddedChannel(initializer));
    }

    private EmbeddedChannel open(EmbeddedChannel channel) {
        channels.add(channel);
        return channel;
    }

    /** Moves what {@code from} wrote into {@code to}; returns how many buffers moved. */
    static int pump(EmbeddedChannel from, EmbeddedChannel to) {
        int moved = 0;
        for (ByteBuf buf; (buf = from.readOutbound()) != null; moved++) {
            if (to.isActive()) {
                to.writeInbound(buf);
            } else {
                buf.release();
            }
        }
        return moved;
    }

    /** Lets the two ends talk until neither has more to say: HELLO both ways, then AUTH both ways. */
    static void link(EmbeddedChannel gate, EmbeddedChannel node) {
        while (pump(node, gate) + pump(gate, node) > 0) {
            // until quiet
        }
    }

    /** What a {@link #raw()} peer received, decoded. */
    static List<Envelope> received(EmbeddedChannel raw) {
        List<Envelope> envelopes = new ArrayList<>();
        for (ClusterEnvelope envelope; (envelope = raw.readInbound()) != null; ) {
            envelopes.add(envelope.envelope());
        }
        return envelopes;
    }

    /** Has a {@link #raw()} peer send {@code envelope}, framed, to {@code to}. */
    static void say(EmbeddedChannel raw, EmbeddedChannel to, Envelope envelope) {
        raw.writeOutbound(envelope);
        pump(raw, to);
    }

    static ByteBuf encode(Envelope envelope) {
        EmbeddedChannel encoder = new EmbeddedChannel(new ClusterFrameEncoder(), new EnvelopeEncoder(),
                new AddressedAsDeclared());
        encoder.writeOutbound(envelope);
        ByteBuf frame = encoder.readOutbound();
        encoder.finishAndReleaseAll();
        return frame;
    }

    /** Moves the ticker on by {@code time} and runs the channel's periodic checks once. */
    void tick(EmbeddedChannel channel, Duration time) {
        ticker.advance(time);
        channel.advanceTimeBy(CHECK.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Override
    public void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    static final class RecordingListener implements LinkListener {
        final List<Link> up = new ArrayList<>();
        final List<Envelope> received = new ArrayList<>();
        final List<LinkCloseReason> down = new ArrayList<>();
        /** Called with each envelope received, on the link's thread: a test's stand-in for what handles it. */
        java.util.function.BiConsumer<Link, Envelope> onReceived = (link, envelope) -> { };

        @Override
        public void linkUp(Link link) {
            up.add(link);
        }

        @Override
        public void received(Link link, Envelope envelope) {
            received.add(envelope);
            onReceived.accept(link, envelope);
        }

        @Override
        public void linkDown(Link link, LinkCloseReason reason) {
            down.add(reason);
        }
    }
}
