package io.switchboard.cluster.protocol;

import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.port.PortPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameAddressCheckTest {
    private static final int PROJECT = 3;
    private final FrameRejectionCounter rejections = new FrameRejectionCounter();
    private final EmbeddedChannel link = new EmbeddedChannel(new FrameAddressCheck(PROJECT, rejections));

    @AfterEach
    void tearDown() {
        link.finishAndReleaseAll();
    }

    private static ClusterEnvelope frame(int serviceId, long appId, Envelope envelope) {
        return ClusterEnvelope.of(serviceId, appId, FrameAddressing.sessionId(envelope), envelope);
    }

    private static Envelope request(long session) {
        return Envelopes.builder(Kind.REQUEST).requestId(1).route("demo.echo.say").sessionId(session).build();
    }

    @Test
    void framesAsTheirHelloDeclaredPassUnchanged() {
        ClusterEnvelope hello = frame(PortPlan.GATE, PROJECT, Envelopes.hello(1, NodeMetadata.GATE_TYPE));
        ClusterEnvelope request = frame(PortPlan.GATE, PROJECT, request(0x2_0000_0009L));

        link.writeInbound(hello, request);

        assertThat((Object) link.readInbound()).isEqualTo(hello);
        assertThat((Object) link.readInbound()).isEqualTo(request);
        assertThat(request.sessionId()).isEqualTo(9);
        assertThat(rejections.total()).isZero();
    }

    @Test
    void aNodeWritingTheGatesServiceIdIsRefusedAndCounted() {
        link.writeInbound(frame(PortPlan.SERVICE, PROJECT, Envelopes.hello(5, "demo")));

        assertThatThrownBy(() -> link.writeInbound(frame(PortPlan.GATE, PROJECT, request(1))))
                .isInstanceOf(ClusterFrameException.class).hasMessageContaining("service_id 1");
        assertThat(rejections.count(FrameRejectReason.WRONG_SERVICE_ID)).isEqualTo(1);
    }

    @Test
    void aHelloInAFrameOfAnotherServiceIsRefused() {
        assertThatThrownBy(() -> link.writeInbound(frame(PortPlan.GATE, PROJECT, Envelopes.hello(5, "demo"))))
                .isInstanceOf(ClusterFrameException.class);
        assertThat(rejections.count(FrameRejectReason.WRONG_SERVICE_ID)).isEqualTo(1);
    }

    @Test
    void aSecondHelloAsAnotherServiceIsRefused() {
        link.writeInbound(frame(PortPlan.SERVICE, PROJECT, Envelopes.hello(5, "demo")));

        assertThatThrownBy(() -> link.writeInbound(frame(PortPlan.GATE, PROJECT, Envelopes.hello(5, "gate"))))
                .isInstanceOf(ClusterFrameException.class);
        assertThat(rejections.count(FrameRejectReason.WRONG_SERVICE_ID)).isEqualTo(1);
    }

    @Test
    void anotherProjectsFrameIsRefusedAndCounted() {
        assertThatThrownBy(() -> link.writeInbound(frame(PortPlan.GATE, PROJECT + 1,
                Envelopes.hello(1, NodeMetadata.GATE_TYPE))))
                .isInstanceOf(ClusterFrameException.class).hasMessageContaining("app_id 4");
        assertThat(rejections.count(FrameRejectReason.WRONG_APP_ID)).isEqualTo(1);
    }

    @Test
    void aSessionIdThatIsNotTheEnvelopesIsRefusedAndCounted() {
        link.writeInbound(frame(PortPlan.GATE, PROJECT, Envelopes.hello(1, NodeMetadata.GATE_TYPE)));

        assertThatThrownBy(() -> link.writeInbound(ClusterEnvelope.of(PortPlan.GATE, PROJECT, 8, request(9))))
                .isInstanceOf(ClusterFrameException.class);
        assertThatThrownBy(() -> link.writeInbound(ClusterEnvelope.of(PortPlan.GATE, PROJECT, 8,
                Envelopes.ping(1, 1)))).isInstanceOf(ClusterFrameException.class);
        assertThat(rejections.count(FrameRejectReason.WRONG_SESSION_ID)).isEqualTo(2);
    }

    @Test
    void serviceNumbersFollowThePortPlan() {
        assertThat(FrameAddressing.serviceId(NodeMetadata.GATE_TYPE)).isEqualTo(PortPlan.GATE);
        assertThat(FrameAddressing.serviceId("chat")).isEqualTo(PortPlan.SERVICE);
        assertThat(FrameAddressing.serviceId(FrameAddressing.PLANE_TYPE)).isEqualTo(PortPlan.ROUTER);
    }
}
