package io.switchboard.cluster.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterFrameEncoderTest {
    private EmbeddedChannel channel = new EmbeddedChannel(new ClusterFrameEncoder());

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void writesTheSpecLayout() {
        byte[] data = "ping".getBytes();
        channel.writeOutbound(new ClusterFrame(7, 0xFFFF, 0xFFFF_FFFFL, 42, Unpooled.wrappedBuffer(data)));

        assertThat(readOutboundBytes()).isEqualTo(RawFrames.frame(7, 0xFFFF, 0xFFFF_FFFFL, 42, data));
    }

    @Test
    void writesTheLengthAsTheBytesAfterIt() {
        channel.writeOutbound(new ClusterFrame(1, 2, 3, Unpooled.wrappedBuffer(new byte[5])));

        byte[] bytes = readOutboundBytes();
        // head 00 00, then len = version..crc = 2 + 2 + 4 + 4 + 5 + 4 = 21, then version 1 (the current one).
        assertThat(bytes).startsWith(0x00, 0x00, 0x00, 0x00, 0x00, 21, 0x00, ClusterFrame.CURRENT_VERSION);
        assertThat(bytes).hasSize(2 + 4 + 21);
    }

    @Test
    void sendsLargeDataWithoutCopyingIt() {
        byte[] data = RawFrames.pattern(ClusterFrameEncoder.COPY_THRESHOLD);
        ByteBuf content = Unpooled.directBuffer(data.length).writeBytes(data);
        content.retain(); // kept to see who else holds it

        channel.writeOutbound(new ClusterFrame(1, 2, 3, 4, content));

        ByteBuf out = channel.readOutbound();
        try {
            assertThat(out).isInstanceOf(CompositeByteBuf.class);
            assertThat(content.refCnt()).as("held by the composite and by us").isEqualTo(2);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(RawFrames.frame(1, 2, 3, 4, data));
        } finally {
            out.release();
        }
        assertThat(content.refCnt()).isEqualTo(1);
        content.release();
    }

    @Test
    void copiesSmallDataIntoOneBuffer() {
        byte[] data = RawFrames.pattern(ClusterFrameEncoder.COPY_THRESHOLD - 1);
        ByteBuf content = Unpooled.wrappedBuffer(data);

        channel.writeOutbound(new ClusterFrame(1, 2, 3, 4, content));

        ByteBuf out = channel.readOutbound();
        try {
            assertThat(out).isNotInstanceOf(CompositeByteBuf.class);
            assertThat(content.refCnt()).as("released by the encoder").isZero();
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(RawFrames.frame(1, 2, 3, 4, data));
        } finally {
            out.release();
        }
    }

    @Test
    void refusesAFrameAboveTheMaximumAndReleasesIt() {
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new ClusterFrameEncoder(ClusterFrameLayout.FRAME_OVERHEAD + 3));
        ByteBuf content = Unpooled.directBuffer(4).writeInt(1);

        assertThatThrownBy(() -> channel.writeOutbound(new ClusterFrame(1, 2, 3, 4, content)))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("26 bytes > max 25");
        assertThat(content.refCnt()).isZero();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 70_000})
    void roundTripsThroughTheDecoder(int dataLength) {
        byte[] data = RawFrames.pattern(dataLength);
        EmbeddedChannel decoder = new EmbeddedChannel(new ClusterFrameDecoder());
        try {
            channel.writeOutbound(new ClusterFrame(3, 300, 70_000, 0xFFFF_FFFEL,
                    Unpooled.directBuffer(dataLength).writeBytes(data)));
            decoder.writeInbound((ByteBuf) channel.readOutbound());

            ClusterFrame frame = decoder.readInbound();
            try {
                assertThat(frame.version()).isEqualTo(3);
                assertThat(frame.serviceId()).isEqualTo(300);
                assertThat(frame.appId()).isEqualTo(70_000);
                assertThat(frame.sessionId()).isEqualTo(0xFFFF_FFFEL);
                assertThat(ByteBufUtil.getBytes(frame.data())).isEqualTo(data);
            } finally {
                frame.release();
            }
        } finally {
            decoder.finishAndReleaseAll();
        }
    }

    private byte[] readOutboundBytes() {
        ByteBuf out = channel.readOutbound();
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
