package io.switchboard.cluster.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.protocol.ClusterFrameEncoder;
import io.switchboard.cluster.protocol.EnvelopeEncoder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.FrameRejectReason;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The link protocol between two in-memory pipelines: HELLO, ping/pong, a silent peer, bad input. */
class LinkHandlerTest {
    private static final Duration CHECK = Duration.ofMillis(100);

    private final ManualTicker ticker = new ManualTicker();
    private final LinkSettings settings = LinkSettings.defaults().withTicker(ticker)
            .withPing(Duration.ofSeconds(1), Duration.ofSeconds(3)).withCheckInterval(CHECK);
    private final ClusterMetrics gateMetrics = ClusterMetrics.inMemory();
    private final ClusterMetrics nodeMetrics = ClusterMetrics.inMemory();
    private final RecordingListener gateSide = new RecordingListener();
    private final RecordingListener nodeSide = new RecordingListener();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel gate() {
        return open(new LinkChannelInitializer(() -> 7, "gate", settings, gateSide, gateMetrics));
    }

    private EmbeddedChannel node() {
        return open(new LinkChannelInitializer(() -> 3, "demo", settings, nodeSide, nodeMetrics));
    }

    private EmbeddedChannel open(LinkChannelInitializer initializer) {
        EmbeddedChannel channel = new EmbeddedChannel(initializer);
        channels.add(channel);
        return channel;
    }

    /** Moves what {@code from} wrote into {@code to}; returns how many buffers moved. */
    private static int pump(EmbeddedChannel from, EmbeddedChannel to) {
        int moved = 0;
        for (ByteBuf buf; (buf = from.readOutbound()) != null; moved++) {
            to.writeInbound(buf);
        }
        return moved;
    }

    private static ByteBuf encode(Envelope envelope) {
        EmbeddedChannel encoder = new EmbeddedChannel(new ClusterFrameEncoder(), new EnvelopeEncoder());
        encoder.writeOutbound(envelope);
        ByteBuf frame = encoder.readOutbound();
        encoder.finishAndReleaseAll();
        return frame;
    }

    private void tick(EmbeddedChannel channel, Duration time) {
        ticker.advance(time);
        channel.advanceTimeBy(CHECK.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void helloBothWaysThenEnvelopesFlow() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        pump(node, gate);
        pump(gate, node);
        assertThat(gateSide.up).singleElement().satisfies(link -> {
            assertThat(link.peerNodeId()).isEqualTo(3);
            assertThat(link.peerType()).isEqualTo("demo");
        });
        assertThat(nodeSide.up).singleElement().satisfies(link -> assertThat(link.peerType()).isEqualTo("gate"));

        nodeSide.up.get(0).send(Envelopes.response(42, com.google.protobuf.ByteString.copyFromUtf8("hi")));
        pump(node, gate);
        assertThat(gateSide.received).singleElement().satisfies(envelope -> {
            assertThat(Envelopes.requestId(envelope)).isEqualTo(42);
            assertThat(Envelopes.hopTimestamps(envelope)).hasSize(1);
        });
        assertThat(gateMetrics.activeLinks()).isEqualTo(1);
    }

    @Test
    void idleLinksPingAndPongKeepsThemAlive() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        pump(node, gate);
        pump(gate, node);
        for (int i = 0; i < 10; i++) {
            tick(node, Duration.ofSeconds(1));
            tick(gate, Duration.ZERO);
            assertThat(pump(node, gate)).as("node pings").isPositive();
            assertThat(pump(gate, node)).as("gate pongs (and pings)").isPositive();
        }
        assertThat(node.isActive()).isTrue();
        assertThat(gate.isActive()).isTrue();
        assertThat(gateSide.received).as("upkeep is not handed on").isEmpty();
    }

    @Test
    void silentPeerIsDeclaredDeadOnTheTicker() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        pump(node, gate);
        pump(gate, node);
        tick(gate, Duration.ofSeconds(2));
        assertThat(gate.isActive()).isTrue();
        tick(gate, Duration.ofMillis(1500));
        assertThat(gate.isActive()).isFalse();
        assertThat(gateSide.down).containsExactly(LinkCloseReason.PEER_SILENT);
        assertThat(gateMetrics.linksClosed(LinkCloseReason.PEER_SILENT)).isEqualTo(1);
        assertThat(gateMetrics.activeLinks()).isZero();
    }

    @Test
    void badCrcClosesTheLinkAndIsCounted() {
        EmbeddedChannel gate = gate();
        ByteBuf frame = encode(Envelopes.hello(3, "demo"));
        frame.setByte(frame.writerIndex() - 1, frame.getByte(frame.writerIndex() - 1) ^ 0x5a);
        gate.writeInbound(frame);
        assertThat(gate.isActive()).isFalse();
        assertThat(gateMetrics.frameRejections().count(FrameRejectReason.BAD_CRC)).isEqualTo(1);
        assertThat(gateMetrics.linksClosed(LinkCloseReason.BAD_FRAME)).isEqualTo(1);
        assertThat(gateSide.up).isEmpty();
    }

    @Test
    void dataBeforeHelloIsAProtocolViolation() {
        EmbeddedChannel gate = gate();
        gate.writeInbound(encode(Envelopes.response(1, com.google.protobuf.ByteString.EMPTY)));
        assertThat(gate.isActive()).isFalse();
        assertThat(gateMetrics.linksClosed(LinkCloseReason.PROTOCOL_VIOLATION)).isEqualTo(1);
        assertThat(gateSide.received).isEmpty();
    }

    @Test
    void secondHelloIsAProtocolViolation() {
        EmbeddedChannel gate = gate();
        gate.writeInbound(encode(Envelopes.hello(3, "demo")));
        gate.writeInbound(encode(Envelopes.hello(4, "demo")));
        assertThat(gate.isActive()).isFalse();
        assertThat(gateSide.down).containsExactly(LinkCloseReason.PROTOCOL_VIOLATION);
    }

    @Test
    void frameSplitIntoSingleBytesStillLinks() {
        EmbeddedChannel gate = gate();
        ByteBuf frame = encode(Envelopes.hello(3, "demo"));
        try {
            for (int i = 0; i < frame.readableBytes(); i++) {
                gate.writeInbound(frame.retainedSlice(i, 1));
            }
        } finally {
            frame.release();
        }
        assertThat(gateSide.up).hasSize(1);
    }

    private static final class RecordingListener implements LinkListener {
        final List<Link> up = new ArrayList<>();
        final List<Envelope> received = new ArrayList<>();
        final List<LinkCloseReason> down = new ArrayList<>();

        @Override
        public void linkUp(Link link) {
            up.add(link);
        }

        @Override
        public void received(Link link, Envelope envelope) {
            received.add(envelope);
        }

        @Override
        public void linkDown(Link link, LinkCloseReason reason) {
            down.add(reason);
        }
    }
}
