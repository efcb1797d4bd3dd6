package io.switchboard.cluster.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterFrameTest {

    @Test
    void refusesHeaderValuesThatDoNotFitTheirFieldsAndLeavesTheDataToTheCaller() {
        ByteBuf data = Unpooled.buffer(1).writeByte(1);
        try {
            assertThatThrownBy(() -> new ClusterFrame(0x1_0000, 0, 0, 0, data))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
            assertThatThrownBy(() -> new ClusterFrame(1, -1, 0, 0, data))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serviceId");
            assertThatThrownBy(() -> new ClusterFrame(1, 0, 0x1_0000_0000L, 0, data))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appId");
            assertThatThrownBy(() -> new ClusterFrame(1, 0, 0, -1, data))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionId");
            assertThat(data.refCnt()).isEqualTo(1);
        } finally {
            data.release();
        }
    }

    @Test
    void comparesHeaderFieldsAsWellAsData() {
        ClusterFrame frame = new ClusterFrame(1, 2, 3, 4, Unpooled.wrappedBuffer(new byte[] {9}));
        ClusterFrame same = frame.retainedDuplicate();
        ClusterFrame otherSession = new ClusterFrame(1, 2, 3, 5, Unpooled.wrappedBuffer(new byte[] {9}));
        try {
            assertThat(same).isEqualTo(frame).hasSameHashCodeAs(frame);
            assertThat(otherSession).isNotEqualTo(frame);
            assertThat(same.data()).isNotSameAs(frame.data());
        } finally {
            frame.release();
            same.release();
            otherSession.release();
        }
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void keepsTheHeaderWhenTheDataIsReplaced() {
        ClusterFrame frame = new ClusterFrame(1, 2, 3, 4, Unpooled.wrappedBuffer(new byte[] {9}));
        ClusterFrame copy = frame.copy();
        frame.release();
        try {
            assertThat(copy.version()).isEqualTo(1);
            assertThat(copy.serviceId()).isEqualTo(2);
            assertThat(copy.appId()).isEqualTo(3);
            assertThat(copy.sessionId()).isEqualTo(4);
            assertThat(copy.data().getByte(0)).isEqualTo((byte) 9);
        } finally {
            copy.release();
        }
    }
}
