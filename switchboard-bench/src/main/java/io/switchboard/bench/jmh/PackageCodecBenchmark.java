package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloPackageDecoder;
import io.switchboard.protocol.PomeloPackageEncoder;
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

/** One Pomelo package through the package encoder and decoder, without a pipeline around them. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class PackageCodecBenchmark {
    @Param({"64", "1024"})
    public int bodySize;

    private final Encoder encoder = new Encoder();
    private final Decoder decoder = new Decoder();
    private final List<Object> decoded = new ArrayList<>(1);
    private PomeloPackage pkg;
    private ByteBuf encoded;
    private ByteBuf out;

    @Setup(Level.Trial)
    public void setUp() {
        pkg = new PomeloPackage(PackageType.DATA, Unpooled.wrappedBuffer(new byte[bodySize]));
        out = ByteBufAllocator.DEFAULT.directBuffer(bodySize + 4);
        encoded = ByteBufAllocator.DEFAULT.directBuffer(bodySize + 4);
        encoder.encodeInto(pkg, encoded);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pkg.release();
        out.release();
        encoded.release();
    }

    @Benchmark
    public int encode() {
        out.clear();
        encoder.encodeInto(pkg, out);
        return out.writerIndex();
    }

    @Benchmark
    public int decode() {
        encoded.readerIndex(0);
        decoder.decodeFrom(encoded, decoded);
        PomeloPackage p = (PomeloPackage) decoded.get(0);
        int length = p.content().readableBytes();
        p.release();
        decoded.clear();
        return length;
    }

    /** Reaches the encoder's work without a channel: it needs no context to write into a given buffer. */
    private static final class Encoder extends PomeloPackageEncoder {
        void encodeInto(PomeloPackage msg, ByteBuf buf) {
            encode((ChannelHandlerContext) null, msg, buf);
        }
    }

    /** Reaches the decoder's work without a channel (and without ByteToMessageDecoder's cumulation). */
    private static final class Decoder extends PomeloPackageDecoder {
        void decodeFrom(ByteBuf in, List<Object> out) {
            decode(null, in, out);
        }
    }
}
