package io.switchboard.cluster.protocol;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.cluster.protocol.proto.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small frames between two flushes leave in one buffer whose bytes are the frames one encoder would write each; a
 * large frame or other bytes hand the batch on first, so the order holds; a full batch goes without waiting for the
 * flush; promises complete with the batch's write, or fail when the channel closes before it.
 */
class EnvelopeBatchEncoderTest {
    private final EnvelopeEncoder format = new EnvelopeEncoder(12, 34);
    /** What reaches the channel's head: one entry per write the batch encoder passes on, before any flush. */
    private final List<Integer> writesPassedOn = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new WriteCounter(), new ClusterFrameEncoder(),
            new EnvelopeBatchEncoder(format));
    private final EmbeddedChannel oneByOne = new EmbeddedChannel(new ClusterFrameEncoder(), format);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        oneByOne.finishAndReleaseAll();
    }

    @Test
    void theSmallFramesOfAFlushLeaveInOneBufferWithTheBytesOfOneFrameEach() {
        List<Envelope> envelopes = List.of(request(1, 10), request(2, 200), request(3, 3000));
        for (Envelope envelope : envelopes) {
            channel.write(envelope);
        }
        assertThat(writesPassedOn).as("held until the flush").isEmpty();
        channel.flush();

        assertThat(writesPassedOn).hasSize(1);
        ByteBuf batch = channel.readOutbound();
        try {
            assertThat(ByteBufUtil.hexDump(batch)).isEqualTo(oneFrameEach(envelopes));
        } finally {
            batch.release();
        }
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aLargeEnvelopeOrOtherBytesHandTheBatchOnFirst() {
        Envelope large = request(4, ClusterFrameEncoder.COPY_THRESHOLD + 100);
        channel.write(request(1, 10));
        channel.write(large);
        channel.write(request(2, 10));
        channel.write(Unpooled.wrappedBuffer(new byte[] {7, 7}));
        channel.write(request(3, 10));
        channel.flush();

        assertThat(readAll()).containsExactly(
                oneFrameEach(List.of(request(1, 10))), oneFrameEach(List.of(large)),
                oneFrameEach(List.of(request(2, 10))), "0707", oneFrameEach(List.of(request(3, 10))));
    }

    @Test
    void aFullBatchIsHandedOnWithoutWaitingForTheFlush() {
        Envelope envelope = request(1, 1000);
        int perBatch = EnvelopeBatchEncoder.BATCH_BYTES / (ClusterFrameLayout.FRAME_OVERHEAD + sizeOf(envelope));
        for (int i = 0; i <= perBatch; i++) {
            channel.write(envelope);
        }

        assertThat(writesPassedOn).as("the frame that did not fit started a new batch").hasSize(1);
        assertThat(writesPassedOn.get(0)).isLessThanOrEqualTo(EnvelopeBatchEncoder.BATCH_BYTES)
                .isEqualTo(perBatch * (ClusterFrameLayout.FRAME_OVERHEAD + sizeOf(envelope)));
        channel.flush();
        assertThat(writesPassedOn).hasSize(2);
        assertThat(String.join("", readAll())).isEqualTo(oneFrameEach(Collections.nCopies(perBatch + 1, envelope)));
    }

    @Test
    void promisesCompleteWithTheBatchAndFailWhenTheChannelClosesBeforeIt() {
        ChannelFuture first = channel.write(request(1, 10));
        ChannelFuture second = channel.write(request(2, 10));
        assertThat(first.isDone()).isFalse();
        channel.flush();
        assertThat(first.isSuccess()).isTrue();
        assertThat(second.isSuccess()).isTrue();
        readAll();

        ChannelFuture unflushed = channel.write(request(3, 10));
        channel.close();
        assertThat(unflushed.cause()).isInstanceOf(ClosedChannelException.class);
        assertThat(writesPassedOn).as("the unflushed batch was dropped, not written").hasSize(1);
    }

    private static Envelope request(long id, int payloadBytes) {
        return Envelopes.request(id, "demo.echo.say", "u" + id, ByteString.copyFrom(new byte[payloadBytes]));
    }

    private static int sizeOf(Envelope envelope) {
        return envelope.getSerializedSize();
    }

    /** The hex of the frames the plain encoder writes for these envelopes, one write and flush each. */
    private String oneFrameEach(List<Envelope> envelopes) {
        StringBuilder hex = new StringBuilder();
        for (Envelope envelope : envelopes) {
            oneByOne.writeAndFlush(envelope);
            ByteBuf frame = oneByOne.readOutbound();
            hex.append(ByteBufUtil.hexDump(frame));
            frame.release();
        }
        return hex.toString();
    }

    private List<String> readAll() {
        List<String> hex = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            hex.add(ByteBufUtil.hexDump((ByteBuf) out));
            ReferenceCountUtil.release(out);
        }
        return hex;
    }

    /** Counts the bytes of each write that reaches the head. */
    private final class WriteCounter extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            writesPassedOn.add(((ByteBuf) msg).readableBytes());
            ctx.write(msg, promise);
        }
    }
}
