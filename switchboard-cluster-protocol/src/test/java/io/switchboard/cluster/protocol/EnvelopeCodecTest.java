package io.switchboard.cluster.protocol;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.switchboard.cluster.protocol.proto.Control;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.EnvelopeExtensions;
import io.switchboard.cluster.protocol.proto.SeedEnvelope;
import io.switchboard.cluster.protocol.proto.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Envelopes through the whole link pipeline: envelope and frame encoders, bytes, frame and envelope decoders. */
class EnvelopeCodecTest {
    private final FrameRejectionCounter rejections = new FrameRejectionCounter();
    private final EmbeddedChannel sender = new EmbeddedChannel(new ClusterFrameEncoder(), new EnvelopeEncoder(12, 34));
    private final EmbeddedChannel receiver = new EmbeddedChannel(
            new ClusterFrameDecoder(ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH, rejections),
            new EnvelopeDecoder(rejections));

    @AfterEach
    void tearDown() {
        sender.finishAndReleaseAll();
        receiver.finishAndReleaseAll();
    }

    /** Every field of the base message and every extension set, none at its default. */
    static Envelope everything() {
        Control control = Control.newBuilder()
                .setType(ControlType.HELLO).setNodeId(1023).setNodeType("gate").setSequence(Long.MAX_VALUE).build();
        return Envelopes.builder(Kind.BROADCAST)
                .timestamp(1_700_000_000_000_001L)
                .timestamp(1_700_000_000_000_250L)
                .error(0xFFFF_FFFFL, "überall kaputt")
                .requestId(-1L) // uint64 max
                .route("chat.room.say")
                .userId("user-ü-42")
                .sessionId(0x7FFF_FFFF_FFFF_FFFFL)
                .gateId(1)
                .sourceNodeId(2)
                .targetNodeId(1023)
                .payload(ByteString.copyFrom(RawFrames.pattern(300)))
                .targetSessionIds(1, 2, Long.MAX_VALUE, -1L)
                .control(control)
                .build();
    }

    @Test
    void roundTripsAnEnvelopeWithEveryExtension() {
        Envelope sent = everything();
        ClusterEnvelope received = transfer(ClusterEnvelope.of(65535, 0xFFFF_FFFFL, 99, sent));

        assertThat(received.envelope()).isEqualTo(sent);
        // Parsed as extensions, not left over as unknown fields.
        assertThat(received.envelope().getUnknownFields().asMap()).isEmpty();
        Envelope e = received.envelope();
        assertThat(e.getTimestampList()).containsExactly(1_700_000_000_000_001L, 1_700_000_000_000_250L);
        assertThat(Envelopes.errorCode(e)).isEqualTo(0xFFFF_FFFFL);
        assertThat(Envelopes.errorInfo(e)).isEqualTo("überall kaputt");
        assertThat(Envelopes.kind(e)).isEqualTo(Kind.BROADCAST);
        assertThat(Envelopes.requestId(e)).isEqualTo(-1L);
        assertThat(Envelopes.route(e)).isEqualTo("chat.room.say");
        assertThat(Envelopes.userId(e)).isEqualTo("user-ü-42");
        assertThat(Envelopes.sessionId(e)).isEqualTo(0x7FFF_FFFF_FFFF_FFFFL);
        assertThat(Envelopes.gateId(e)).isEqualTo(1);
        assertThat(Envelopes.sourceNodeId(e)).isEqualTo(2);
        assertThat(Envelopes.targetNodeId(e)).isEqualTo(1023);
        assertThat(Envelopes.payload(e).toByteArray()).isEqualTo(RawFrames.pattern(300));
        assertThat(Envelopes.targetSessionIds(e)).containsExactly(1L, 2L, Long.MAX_VALUE, -1L);
        assertThat(Envelopes.control(e).getType()).isEqualTo(ControlType.HELLO);
        assertThat(Envelopes.control(e).getNodeType()).isEqualTo("gate");
        assertThat(received.version()).isEqualTo(ClusterFrame.CURRENT_VERSION);
        assertThat(received.serviceId()).isEqualTo(65535);
        assertThat(received.appId()).isEqualTo(0xFFFF_FFFFL);
        assertThat(received.sessionId()).isEqualTo(99);
    }

    @Test
    void givesABareEnvelopeTheEncodersHeader() {
        Envelope ping = Envelopes.ping(7, 3);

        ClusterEnvelope received = transfer(ping);

        assertThat(received).isEqualTo(new ClusterEnvelope(ClusterFrame.CURRENT_VERSION, 12, 34, 0, ping));
    }

    @Test
    void aBareEnvelopeAboutASessionCarriesItsLow32BitsInTheHeader() {
        Envelope request = Envelopes.builder(Kind.REQUEST).requestId(1).route("demo.echo.say")
                .sessionId(0x1_0000_0005L).build();

        assertThat(transfer(request).sessionId()).isEqualTo(5);
    }

    @Test
    void anEncoderWithAHopClockAppendsThisHopsTimestampAfterTheOthers() {
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(1_700_000_000L, 5_000),
                java.time.ZoneOffset.UTC);
        EmbeddedChannel stamping = new EmbeddedChannel(new ClusterFrameEncoder(), new EnvelopeEncoder(12, 34, clock));
        Envelope sent = Envelopes.builder(Kind.REQUEST).requestId(1).route("a.b.c").timestamp(42).build();

        stamping.writeOutbound(sent);
        for (Object frame; (frame = stamping.readOutbound()) != null; ) {
            receiver.writeInbound(frame);
        }
        ClusterEnvelope received = receiver.readInbound();

        assertThat(received.envelope().getTimestampList()).containsExactly(42L, 1_700_000_000_000_005L);
        assertThat(received.envelope()).isEqualTo(Envelopes.stampHop(sent, 1_700_000_000_000_005L));
        assertThat(stamping.finishAndReleaseAll()).isFalse();
    }

    @Test
    void roundTripsALargePayloadReadFromDirectMemoryOneByteAtATime() {
        // Above the encoder's copy threshold, so the frame goes out as a composite.
        Envelope sent = Envelopes.push("chat.push", "u1", ByteString.copyFrom(RawFrames.pattern(6_000)));
        sender.writeOutbound(sent);
        byte[] wire = drainOutbound();

        for (byte b : wire) {
            receiver.writeInbound(Unpooled.directBuffer(1).writeByte(b));
        }

        ClusterEnvelope received = receiver.readInbound();
        assertThat(received.envelope()).isEqualTo(sent);
        assertThat((Object) receiver.readInbound()).isNull();
    }

    @Test
    void decodesSeveralEnvelopesFromOneBuffer() {
        List<Envelope> sent = List.of(
                Envelopes.hello(1, "gate"),
                Envelopes.request(1, "chat.room.join", "u1", ByteString.copyFromUtf8("{}")),
                Envelopes.response(1, ByteString.EMPTY),
                Envelopes.broadcast("chat.room.said", new long[] {5, 6}, ByteString.copyFromUtf8("hi")));
        sent.forEach(sender::writeOutbound);

        receiver.writeInbound(Unpooled.wrappedBuffer(drainOutbound()));

        List<Envelope> received = new ArrayList<>();
        for (ClusterEnvelope e; (e = receiver.readInbound()) != null; ) {
            received.add(e.envelope());
        }
        assertThat(received).containsExactlyElementsOf(sent);
    }

    @Test
    void keepsTheSeedsWireFormatForTheBaseFields() {
        Envelope base = Envelope.newBuilder().addTimestamp(1).addTimestamp(300).setErrorCode(2)
                .setErrorInfo(ByteString.copyFromUtf8("x")).build();

        // proto2 as in seed 000: timestamp unpacked (tag 08 per value), error_code tag 10, error_info tag 1a.
        assertThat(base.toByteArray()).containsExactly(0x08, 0x01, 0x08, 0xAC, 0x02, 0x10, 0x02, 0x1A, 0x01, 'x');
    }

    @Test
    void leavesSwitchboardExtensionsUnknownToAParserWithoutThem() throws Exception {
        Envelope sent = Envelopes.request(9, "a.b.c", "u", ByteString.copyFromUtf8("p"));

        SeedEnvelope plain = SeedEnvelope.parseFrom(sent.toByteArray());

        assertThat(plain.hasExtension(EnvelopeExtensions.route)).isFalse();
        assertThat(plain.getUnknownFields().hasField(EnvelopeExtensions.ROUTE_FIELD_NUMBER)).isTrue();
        assertThat(plain.toByteArray()).isEqualTo(sent.toByteArray());
    }

    @Test
    void refusesDataThatIsNotAnEnvelopeAndReleasesTheFrame() {
        // Field 1 as a length-delimited record claiming 100 bytes that are not there.
        byte[] garbage = {0x0A, 0x64, 0x01};
        ByteBuf wire = Unpooled.wrappedBuffer(RawFrames.frame(1, 2, 3, 4, garbage));

        assertThatThrownBy(() -> receiver.writeInbound(wire))
                .isInstanceOfSatisfying(ClusterFrameException.class,
                        e -> assertThat(e.reason()).isEqualTo(FrameRejectReason.MALFORMED_ENVELOPE));
        assertThat(rejections.count(FrameRejectReason.MALFORMED_ENVELOPE)).isEqualTo(1);
        assertThat(wire.refCnt()).as("the frame's data, a slice of the input, was released").isZero();
        assertThat(receiver.finish()).isFalse();
    }

    @Test
    void anEnvelopeOfTheLargestSizeThatFitsGoesOutWithItsHopStampAndOneByteMoreDoesNotFit() {
        EmbeddedChannel stamping = new EmbeddedChannel(new ClusterFrameEncoder(),
                new EnvelopeEncoder(12, 34, Clock.fixed(Instant.parse("2262-01-01T00:00:00Z"), ZoneOffset.UTC)));
        try {
            Envelope largest = withSerializedSize(Envelopes.MAX_SERIALIZED_SIZE);
            assertThat(Envelopes.fitsInFrame(largest)).isTrue();
            assertThat(stamping.writeOutbound(largest)).isTrue();
            assertThat(Envelopes.fitsInFrame(withSerializedSize(Envelopes.MAX_SERIALIZED_SIZE + 1))).isFalse();

            // Why the stamp's room is kept: an envelope that fills the frame alone is refused once stamped.
            Envelope fillsTheFrame = withSerializedSize(
                    ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH - ClusterFrameLayout.FRAME_OVERHEAD);
            assertThatThrownBy(() -> stamping.writeOutbound(fillsTheFrame)).isInstanceOf(EncoderException.class);
        } finally {
            stamping.finishAndReleaseAll();
        }
    }

    @Test
    void writesAnEnvelopeBelowTheCopyThresholdAsAWholeFrameAndHandsALargerOneToTheFrameEncoder() {
        EmbeddedChannel envelopesOnly = new EmbeddedChannel(new EnvelopeEncoder());
        try {
            Envelope small = withSerializedSize(ClusterFrameEncoder.COPY_THRESHOLD - 1);
            envelopesOnly.writeOutbound(ClusterEnvelope.of(7, 8, 9, small));
            ByteBuf frame = envelopesOnly.readOutbound();
            try {
                assertThat(ByteBufUtil.getBytes(frame))
                        .isEqualTo(RawFrames.frame(ClusterFrame.CURRENT_VERSION, 7, 8, 9, small.toByteArray()));
            } finally {
                frame.release();
            }

            Envelope large = withSerializedSize(ClusterFrameEncoder.COPY_THRESHOLD);
            envelopesOnly.writeOutbound(ClusterEnvelope.of(7, 8, 9, large));
            ClusterFrame handedOn = envelopesOnly.readOutbound();
            try {
                assertThat(ByteBufUtil.getBytes(handedOn.content())).isEqualTo(large.toByteArray());
                assertThat(handedOn.sessionId()).isEqualTo(9);
            } finally {
                handedOn.release();
            }
        } finally {
            assertThat(envelopesOnly.finishAndReleaseAll()).isFalse();
        }
    }

    /** A response whose payload makes it serialize to exactly {@code size} bytes. */
    private static Envelope withSerializedSize(int size) {
        int payload = size - 64;
        Envelope envelope = Envelopes.response(1, ByteString.copyFrom(new byte[payload]));
        envelope = Envelopes.response(1, ByteString.copyFrom(new byte[payload + size
                - envelope.getSerializedSize()]));
        assertThat(envelope.getSerializedSize()).isEqualTo(size);
        return envelope;
    }

    @Test
    void refusesHeaderIdsThatDoNotFit() {
        assertThatThrownBy(() -> new EnvelopeEncoder(70_000, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterEnvelope.of(1, -1, 0, Envelope.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ClusterEnvelope transfer(Object message) {
        sender.writeOutbound(message);
        receiver.writeInbound(Unpooled.wrappedBuffer(drainOutbound()));
        ClusterEnvelope received = receiver.readInbound();
        assertThat((Object) receiver.readInbound()).isNull();
        return received;
    }

    private byte[] drainOutbound() {
        List<byte[]> parts = new ArrayList<>();
        for (ByteBuf buf; (buf = sender.readOutbound()) != null; ) {
            parts.add(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return RawFrames.concat(parts.toArray(new byte[0][]));
    }
}
