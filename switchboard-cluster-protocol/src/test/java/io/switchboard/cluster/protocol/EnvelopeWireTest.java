package io.switchboard.cluster.protocol;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.proto.Control;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.EnvelopeExtensions;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.cluster.protocol.proto.SeedEnvelope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Envelope} (Switchboard's fields declared plainly) and {@link SeedEnvelope} with Switchboard's extensions
 * (seed 000's definition) are one message on the wire: every field set, the same bytes both ways.
 */
class EnvelopeWireTest {
    private static final Control CONTROL = Control.newBuilder().setType(ControlType.PING).setNodeId(3)
            .setSequence(9).build();

    @Test
    void bothDefinitionsWriteTheSameBytesForEveryField() {
        Envelope plain = Envelope.newBuilder().addTimestamp(1).addTimestamp(300).setErrorCode(7)
                .setErrorInfo(ByteString.copyFromUtf8("e")).setKind(Kind.BROADCAST).setRequestId(1L << 40)
                .setRoute("a.b.c").setUserId("u").setSessionId(99).setGateId(4).setSourceNodeId(5).setTargetNodeId(6)
                .setPayload(ByteString.copyFromUtf8("payload")).addTargetSessionIds(10).addTargetSessionIds(1L << 33)
                .setControl(CONTROL).setRemainingMs(30_000).build();
        SeedEnvelope seed = SeedEnvelope.newBuilder().addTimestamp(1).addTimestamp(300).setErrorCode(7)
                .setErrorInfo(ByteString.copyFromUtf8("e")).setExtension(EnvelopeExtensions.kind, Kind.BROADCAST)
                .setExtension(EnvelopeExtensions.requestId, 1L << 40)
                .setExtension(EnvelopeExtensions.route, "a.b.c").setExtension(EnvelopeExtensions.userId, "u")
                .setExtension(EnvelopeExtensions.sessionId, 99L).setExtension(EnvelopeExtensions.gateId, 4)
                .setExtension(EnvelopeExtensions.sourceNodeId, 5).setExtension(EnvelopeExtensions.targetNodeId, 6)
                .setExtension(EnvelopeExtensions.payload, ByteString.copyFromUtf8("payload"))
                .addExtension(EnvelopeExtensions.targetSessionIds, 10L)
                .addExtension(EnvelopeExtensions.targetSessionIds, 1L << 33)
                .setExtension(EnvelopeExtensions.control, CONTROL)
                .setExtension(EnvelopeExtensions.remainingMs, 30_000).build();

        assertThat(plain.toByteArray()).isEqualTo(seed.toByteArray());
    }

    @Test
    void aSeedPeerReadsWhatSwitchboardWritesAndTheOtherWayRound() throws Exception {
        Envelope sent = Envelopes.builder(Kind.REQUEST).requestId(12).route("demo.echo.say").userId("ann")
                .sessionId(34).gateId(1).remainingMs(500).payload(ByteString.copyFromUtf8("{}")).timestamp(77).build();

        SeedEnvelope seen = SeedEnvelope.parseFrom(sent.toByteArray(), Envelopes.seedExtensionRegistry());
        assertThat(seen.getExtension(EnvelopeExtensions.kind)).isEqualTo(Kind.REQUEST);
        assertThat(seen.getExtension(EnvelopeExtensions.requestId)).isEqualTo(12L);
        assertThat(seen.getExtension(EnvelopeExtensions.route)).isEqualTo("demo.echo.say");
        assertThat(seen.getExtension(EnvelopeExtensions.remainingMs)).isEqualTo(500);
        assertThat(seen.getTimestampList()).containsExactly(77L);

        Envelope back = Envelopes.parse(seen.toByteArray());
        assertThat(back).isEqualTo(sent);
        assertThat(Envelopes.targetSessionIds(back)).isEqualTo(List.of());
    }
}
