package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.protocol.ClusterFrame;
import io.switchboard.cluster.protocol.ClusterFrameDecoder;
import io.switchboard.cluster.protocol.ClusterFrameEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One cluster frame (DESIGN §4) through the frame encoder and decoder, CRC32C computed on the way out and
 * checked on the way in. Data below the encoder's copy threshold, so each frame is one buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class ClusterFrameBenchmark {
    @Param({"64", "1024"})
    public int dataSize;

    private final Encoder encoder = new Encoder();
    private final Decoder decoder = new Decoder();
    private final List<Object> out = new ArrayList<>(1);
    private EmbeddedChannel channel;
    private ChannelHandlerContext ctx;
    private ClusterFrame frame;
    private ByteBuf encoded;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(encoder);
        ctx = channel.pipeline().context(encoder);
        frame = new ClusterFrame(7, 42, 123_456, Unpooled.wrappedBuffer(new byte[dataSize]));
        encoder.encodeTo(ctx, frame, out);
        ByteBuf first = (ByteBuf) out.remove(0);
        encoded = ByteBufAllocator.DEFAULT.directBuffer(first.readableBytes()).writeBytes(first);
        first.release();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        frame.release();
        encoded.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int encode() {
        encoder.encodeTo(ctx, frame, out);
        ByteBuf buf = (ByteBuf) out.remove(0);
        int length = buf.readableBytes();
        buf.release();
        return length;
    }

    @Benchmark
    public long decode() {
        encoded.readerIndex(0);
        decoder.decodeFrom(encoded, out);
        ClusterFrame decoded = (ClusterFrame) out.remove(0);
        long session = decoded.sessionId();
        decoded.release();
        return session;
    }

    /** Reaches the encoder's work without a pipeline; it takes only the allocator from the context. */
    private static final class Encoder extends ClusterFrameEncoder {
        void encodeTo(ChannelHandlerContext ctx, ClusterFrame msg, List<Object> out) {
            encode(ctx, msg, out);
        }
    }

    /** Reaches the decoder's work without a pipeline or cumulation. */
    private static final class Decoder extends ClusterFrameDecoder {
        void decodeFrom(ByteBuf in, List<Object> out) {
            decode(null, in, out);
        }
    }
}
