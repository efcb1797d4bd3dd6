package io.switchboard.cluster.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSecurity;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.FrameRejectReason;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.switchboard.cluster.internal.EmbeddedLinks.encode;
import static io.switchboard.cluster.internal.EmbeddedLinks.link;
import static io.switchboard.cluster.internal.EmbeddedLinks.pump;
import static org.assertj.core.api.Assertions.assertThat;

/** The link protocol between two in-memory pipelines without a secret: ping/pong, a silent peer, bad input. */
class LinkHandlerTest {
    private final EmbeddedLinks links = new EmbeddedLinks();

    @AfterEach
    void tearDown() {
        links.close();
    }

    private EmbeddedChannel gate() {
        return links.gate(LinkSecurity.none(), PeerCheck.ANY);
    }

    private EmbeddedChannel node() {
        return links.node(3, "demo", LinkSecurity.none(), PeerCheck.ANY);
    }

    @Test
    void authenticatedLinksCarryEnvelopes() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        link(gate, node);
        assertThat(links.gateSide.up).singleElement().satisfies(link -> {
            assertThat(link.peerNodeId()).isEqualTo(3);
            assertThat(link.peerType()).isEqualTo("demo");
        });
        assertThat(links.nodeSide.up).singleElement()
                .satisfies(link -> assertThat(link.peerType()).isEqualTo("gate"));

        links.nodeSide.up.get(0).send(Envelopes.response(42, com.google.protobuf.ByteString.copyFromUtf8("hi")));
        pump(node, gate);
        assertThat(links.gateSide.received).singleElement().satisfies(envelope -> {
            assertThat(Envelopes.requestId(envelope)).isEqualTo(42);
            assertThat(Envelopes.hopTimestamps(envelope)).hasSize(1);
        });
        assertThat(links.gateMetrics.activeLinks()).isEqualTo(1);
        assertThat(gate.config().getWriteBufferWaterMark()).as("a link is saturated at megabytes, not at 64 KiB")
                .isSameAs(LinkChannelInitializer.WATER_MARK);
    }

    @Test
    void answersSentOnTheLinksThreadWhileItReadsLeaveWithOneFlushWhenTheReadCompletes() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        link(gate, node);
        links.nodeSide.onReceived = (link, request) -> link.send(Envelopes.response(Envelopes.requestId(request),
                com.google.protobuf.ByteString.copyFromUtf8("ok")));
        java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();
        node.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        Link toNode = links.gateSide.up.get(0);
        for (long id = 1; id <= 3; id++) {
            toNode.send(Envelopes.builder(Kind.REQUEST).requestId(id).route("demo.echo.say").sessionId(5)
                    .gateId(EmbeddedLinks.GATE_ID).payload("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .build());
        }
        // The three requests reach the node in one read, as one buffer off the socket would bring them.
        io.netty.buffer.CompositeByteBuf oneRead = io.netty.buffer.Unpooled.compositeBuffer();
        for (ByteBuf frame; (frame = gate.readOutbound()) != null; ) {
            oneRead.addComponent(true, frame);
        }
        node.writeInbound(oneRead);

        assertThat(links.nodeSide.received).hasSize(3);
        assertThat(flushes).as("one flush for the three answers, at the read's end").hasValue(1);
        pump(node, gate);
        assertThat(links.gateSide.received).extracting(Envelopes::requestId).containsExactly(1L, 2L, 3L);
    }

    @Test
    void idleLinksPingAndPongKeepsThemAlive() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        link(gate, node);
        for (int i = 0; i < 10; i++) {
            links.tick(node, Duration.ofSeconds(1));
            links.tick(gate, Duration.ZERO);
            assertThat(pump(node, gate)).as("node pings").isPositive();
            assertThat(pump(gate, node)).as("gate pongs (and pings)").isPositive();
        }
        assertThat(node.isActive()).isTrue();
        assertThat(gate.isActive()).isTrue();
        assertThat(links.gateSide.received).as("upkeep is not handed on").isEmpty();
    }

    @Test
    void silentPeerIsDeclaredDeadOnTheTicker() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        link(gate, node);
        links.tick(gate, Duration.ofSeconds(2));
        assertThat(gate.isActive()).isTrue();
        links.tick(gate, Duration.ofMillis(1500));
        assertThat(gate.isActive()).isFalse();
        assertThat(links.gateSide.down).containsExactly(LinkCloseReason.PEER_SILENT);
        assertThat(links.gateMetrics.linksClosed(LinkCloseReason.PEER_SILENT)).isEqualTo(1);
        assertThat(links.gateMetrics.activeLinks()).isZero();
    }

    @Test
    void badCrcClosesTheLinkAndIsCounted() {
        EmbeddedChannel gate = gate();
        ByteBuf frame = encode(Envelopes.hello(3, "demo"));
        frame.setByte(frame.writerIndex() - 1, frame.getByte(frame.writerIndex() - 1) ^ 0x5a);
        gate.writeInbound(frame);
        assertThat(gate.isActive()).isFalse();
        assertThat(links.gateMetrics.frameRejections().count(FrameRejectReason.BAD_CRC)).isEqualTo(1);
        assertThat(links.gateMetrics.linksClosed(LinkCloseReason.BAD_FRAME)).isEqualTo(1);
        assertThat(links.gateSide.up).isEmpty();
    }

    @Test
    void dataBeforeAuthenticationIsRefused() {
        EmbeddedChannel gate = gate();
        gate.writeInbound(encode(Envelopes.response(1, com.google.protobuf.ByteString.EMPTY)));
        assertThat(gate.isActive()).isFalse();
        assertThat(links.gateMetrics.linksClosed(LinkCloseReason.AUTH_FAILED)).isEqualTo(1);
        assertThat(links.gateSide.received).isEmpty();
    }

    @Test
    void helloOnAnAuthenticatedLinkIsAProtocolViolation() {
        EmbeddedChannel gate = gate();
        EmbeddedChannel node = node();
        link(gate, node);
        gate.writeInbound(encode(Envelopes.hello(4, "demo")));
        assertThat(gate.isActive()).isFalse();
        assertThat(links.gateSide.down).containsExactly(LinkCloseReason.PROTOCOL_VIOLATION);
    }

    @Test
    void frameSplitIntoSingleBytesStillLinks() {
        EmbeddedChannel gate = gate();
        for (Envelope envelope : List.of(Envelopes.hello(3, "demo"), Envelopes.auth(3, null))) {
            ByteBuf frame = encode(envelope);
            try {
                for (int i = 0; i < frame.readableBytes(); i++) {
                    gate.writeInbound(frame.retainedSlice(i, 1));
                }
            } finally {
                frame.release();
            }
        }
        assertThat(links.gateSide.up).hasSize(1);
    }
}
