package io.switchboard.cluster.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterFrameDecoderTest {
    private static final byte[] DATA = "hello, cluster".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final FrameRejectionCounter rejections = new FrameRejectionCounter();
    private EmbeddedChannel channel = new EmbeddedChannel(
            new ClusterFrameDecoder(ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH, rejections));

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void decodesAHandBuiltFrame() {
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.frame(1, 0xBEEF, 0xCAFEBABEL, 0xFFFF_FFFFL, DATA)));

        ClusterFrame frame = channel.readInbound();
        try {
            assertThat(frame.version()).isEqualTo(1);
            assertThat(frame.serviceId()).isEqualTo(0xBEEF);
            assertThat(frame.appId()).isEqualTo(0xCAFEBABEL);
            assertThat(frame.sessionId()).isEqualTo(0xFFFF_FFFFL);
            assertThat(ByteBufUtil.getBytes(frame.data())).isEqualTo(DATA);
        } finally {
            frame.release();
        }
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void decodesFromDirectMemory() {
        byte[] bytes = RawFrames.frame(1, 2, 3, 4, RawFrames.pattern(10_000));
        ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);

        channel.writeInbound(direct);

        ClusterFrame frame = channel.readInbound();
        try {
            assertThat(ByteBufUtil.getBytes(frame.data())).isEqualTo(RawFrames.pattern(10_000));
        } finally {
            frame.release();
        }
    }

    @Test
    void decodesAFrameWithNoData() {
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.frame(1, 2, 3, 4, new byte[0])));

        ClusterFrame frame = channel.readInbound();
        try {
            assertThat(frame.data().readableBytes()).isZero();
        } finally {
            frame.release();
        }
    }

    @Test
    void waitsForEveryByteWhenInputComesOneByteAtATime() {
        byte[] bytes = RawFrames.frame(1, 2, 3, 4, DATA);

        for (int i = 0; i < bytes.length - 1; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1));
            assertThat((Object) channel.readInbound()).as("frame after %d bytes", i + 1).isNull();
        }
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1));

        ClusterFrame frame = channel.readInbound();
        try {
            assertThat(ByteBufUtil.getBytes(frame.data())).isEqualTo(DATA);
            assertThat(frame.sessionId()).isEqualTo(4);
        } finally {
            frame.release();
        }
    }

    @Test
    void splitsSeveralFramesArrivingInOneBuffer() {
        byte[] joined = RawFrames.concat(
                RawFrames.frame(1, 1, 1, 1, "one".getBytes()),
                RawFrames.frame(1, 2, 2, 2, new byte[0]),
                RawFrames.frame(1, 3, 3, 3, RawFrames.pattern(5000)));

        channel.writeInbound(Unpooled.wrappedBuffer(joined));

        List<ClusterFrame> frames = readAll();
        try {
            assertThat(frames).extracting(ClusterFrame::serviceId).containsExactly(1, 2, 3);
            assertThat(ByteBufUtil.getBytes(frames.get(0).data())).isEqualTo("one".getBytes());
            assertThat(frames.get(1).data().readableBytes()).isZero();
            assertThat(ByteBufUtil.getBytes(frames.get(2).data())).isEqualTo(RawFrames.pattern(5000));
        } finally {
            frames.forEach(ClusterFrame::release);
        }
    }

    @Test
    void handlesFramesStraddlingBufferBoundaries() {
        byte[] joined = RawFrames.concat(
                RawFrames.frame(1, 1, 1, 1, RawFrames.pattern(40)),
                RawFrames.frame(1, 2, 2, 2, RawFrames.pattern(41)),
                RawFrames.frame(1, 3, 3, 3, RawFrames.pattern(42)));
        // Cut points inside the first frame's len field, inside the second's data and inside the third's crc.
        int[] cuts = {4, 90, joined.length - 2, joined.length};
        List<ClusterFrame> frames = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            channel.writeInbound(Unpooled.wrappedBuffer(joined, from, cut - from));
            frames.addAll(readAll());
            from = cut;
        }
        try {
            assertThat(frames).extracting(f -> f.data().readableBytes()).containsExactly(40, 41, 42);
        } finally {
            frames.forEach(ClusterFrame::release);
        }
    }

    @Test
    void acceptsAFrameOfExactlyTheMaximumAndRefusesOneByteMore() {
        int max = ClusterFrameLayout.FRAME_OVERHEAD + 10;
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new ClusterFrameDecoder(max, rejections));

        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.frame(1, 2, 3, 4, RawFrames.pattern(10))));
        ClusterFrame frame = channel.readInbound();
        assertThat(frame).isNotNull();
        frame.release();

        // Only the head and len of the too-large frame: it is refused before its body arrives.
        byte[] tooLarge = RawFrames.frame(1, 2, 3, 4, RawFrames.pattern(11));
        assertRejected(() -> channel.writeInbound(Unpooled.wrappedBuffer(tooLarge, 0, 6)),
                FrameRejectReason.FRAME_TOO_LARGE);
    }

    @Test
    void readsTheLengthAsUnsigned() {
        byte[] bytes = RawFrames.frame(0x0000, 0xFFFF_FFFFL, 1, 2, 3, 4, DATA, null);

        assertRejected(() -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)), FrameRejectReason.FRAME_TOO_LARGE);
    }

    @Test
    void refusesABadHead() {
        byte[] bytes = RawFrames.frame(0x0100, 16 + DATA.length, 1, 2, 3, 4, DATA, null);

        assertRejected(() -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)), FrameRejectReason.BAD_HEAD);
    }

    @Test
    void refusesALengthTooSmallForTheHeader() {
        byte[] bytes = RawFrames.frame(0x0000, 15, 1, 2, 3, 4, new byte[0], null);

        assertRejected(() -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)),
                FrameRejectReason.LENGTH_TOO_SMALL);
    }

    @Test
    void refusesCorruptedData() {
        byte[] bytes = RawFrames.frame(1, 2, 3, 4, DATA);
        bytes[ClusterFrameLayout.DATA_OFFSET + 3] ^= 0x01;

        assertRejected(() -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)), FrameRejectReason.BAD_CRC);
    }

    @Test
    void refusesACorruptedHeaderField() {
        byte[] bytes = RawFrames.frame(1, 2, 3, 4, DATA);
        bytes[ClusterFrameLayout.SESSION_ID_OFFSET] ^= (byte) 0x80;

        assertRejected(() -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)), FrameRejectReason.BAD_CRC);
    }

    @Test
    void refusesAWrongCrc() {
        byte[] good = RawFrames.frame(1, 2, 3, 4, DATA);
        int rightCrc = java.nio.ByteBuffer.wrap(good, good.length - 4, 4).getInt();
        byte[] bytes = RawFrames.frame(0x0000, 16 + DATA.length, 1, 2, 3, 4, DATA, rightCrc + 1);

        assertRejected(() -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)), FrameRejectReason.BAD_CRC);
    }

    @Test
    void refusesInputThatEndsInsideAFrame() {
        byte[] bytes = RawFrames.frame(1, 2, 3, 4, DATA);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, bytes.length - 1));
        assertThat((Object) channel.readInbound()).isNull();

        assertThatThrownBy(channel::finish)
                .isInstanceOfSatisfying(ClusterFrameException.class,
                        e -> assertThat(e.reason()).isEqualTo(FrameRejectReason.TRUNCATED));
        assertThat(channel.isOpen()).isFalse();
        assertThat(rejections.count(FrameRejectReason.TRUNCATED)).isEqualTo(1);
    }

    @Test
    void endsCleanlyAfterWholeFrames() {
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.frame(1, 2, 3, 4, DATA)));
        ClusterFrame frame = channel.readInbound();
        frame.release();

        assertThat(channel.finish()).isFalse();
        assertThat(rejections.total()).isZero();
    }

    @Test
    void passesFramesBeforeTheBadOneThenDiscardsEverythingAfterIt() {
        byte[] bad = RawFrames.frame(1, 2, 3, 4, DATA);
        bad[bad.length - 1] ^= 0x55;
        byte[] joined = RawFrames.concat(
                RawFrames.frame(1, 1, 1, 1, DATA), bad, RawFrames.frame(1, 3, 3, 3, DATA));

        assertRefused(() -> channel.writeInbound(Unpooled.wrappedBuffer(joined)), FrameRejectReason.BAD_CRC);
        ClusterFrame first = channel.readInbound();
        assertThat(first.serviceId()).isEqualTo(1);
        first.release();
        assertThat((Object) channel.readInbound()).isNull();

        // Framing is lost: even a good frame is dropped now, without a second exception or count.
        channel.writeInbound(Unpooled.wrappedBuffer(RawFrames.frame(1, 5, 5, 5, DATA)));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(rejections.total()).isEqualTo(1);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void handsTheRefusalToTheNextHandlerWhichMayCloseTheLink() {
        List<Throwable> seen = new ArrayList<>();
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new ClusterFrameDecoder(), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                seen.add(cause);
                ctx.close();
            }
        });
        byte[] bytes = RawFrames.frame(1, 2, 3, 4, DATA);
        bytes[ClusterFrameLayout.DATA_OFFSET] ^= 0x01;

        channel.writeInbound(Unpooled.wrappedBuffer(bytes));

        assertThat(seen).singleElement().isInstanceOfSatisfying(ClusterFrameException.class,
                e -> assertThat(e.reason()).isEqualTo(FrameRejectReason.BAD_CRC));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void keepsAFailingListenerFromHidingTheRefusal() {
        IllegalStateException listenerBug = new IllegalStateException("listener bug");
        channel.finishAndReleaseAll();
        channel = new EmbeddedChannel(new ClusterFrameDecoder(ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH,
                reason -> {
                    throw listenerBug;
                }));

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2})))
                .isInstanceOfSatisfying(ClusterFrameException.class, e -> {
                    assertThat(e.reason()).isEqualTo(FrameRejectReason.BAD_HEAD);
                    assertThat(e.getSuppressed()).containsExactly(listenerBug);
                });
    }

    @Test
    void refusesAMaximumBelowTheFrameOverhead() {
        assertThatThrownBy(() -> new ClusterFrameDecoder(ClusterFrameLayout.FRAME_OVERHEAD - 1,
                FrameRejectionListener.NOOP)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The write is refused for {@code reason}, counted once, and the link then closes with nothing left over. */
    private void assertRejected(Runnable write, FrameRejectReason reason) {
        assertRefused(write, reason);
        assertThat(channel.finish()).as("messages left after close").isFalse();
        assertThat(channel.isOpen()).isFalse();
    }

    private void assertRefused(Runnable write, FrameRejectReason reason) {
        assertThatThrownBy(write::run).isInstanceOfSatisfying(ClusterFrameException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(rejections.count(reason)).isEqualTo(1);
        assertThat(rejections.total()).isEqualTo(1);
    }

    private List<ClusterFrame> readAll() {
        List<ClusterFrame> frames = new ArrayList<>();
        for (ClusterFrame frame; (frame = channel.readInbound()) != null; ) {
            frames.add(frame);
        }
        return frames;
    }
}
