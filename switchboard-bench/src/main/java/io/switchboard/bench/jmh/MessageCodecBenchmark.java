package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;
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

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One message through {@link PomeloMessageCodec}: a request decoded as a gate reads it, and a response and
 * a push encoded as a gate writes them (a whole data package each), with the route as a dictionary code or
 * as a string.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class MessageCodecBenchmark {
    private static final String ROUTE = "demo.room.say";
    private static final int MAX_BODY = 1 << 20;

    @Param({"true", "false"})
    public boolean compressedRoute;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private RouteDictionary dictionary;
    private ByteBuf body;
    private ByteBuf request;
    private PomeloMessage response;
    private PomeloMessage push;

    @Setup(Level.Trial)
    public void setUp() {
        RouteDictionary routes = RouteDictionary.of(Map.of(),
                List.of("demo.echo.say", "demo.room.join", ROUTE, "demo.room.leave", "onChat"));
        dictionary = compressedRoute ? routes : RouteDictionary.empty();
        body = Unpooled.wrappedBuffer(new byte[64]);
        ByteBuf pkg = PomeloMessageCodec.encodePackage(alloc, PomeloMessage.request(1234, ROUTE, body), dictionary,
                false);
        request = alloc.directBuffer(pkg.readableBytes() - PackageHeader.HEADER_LENGTH);
        request.writeBytes(pkg, PackageHeader.HEADER_LENGTH, pkg.readableBytes() - PackageHeader.HEADER_LENGTH);
        pkg.release();
        response = PomeloMessage.response(1234, body);
        push = PomeloMessage.push("onChat", body);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        request.release();
        body.release();
    }

    @Benchmark
    public long decodeRequest() {
        PomeloMessage msg = PomeloMessageCodec.decode(alloc, request.duplicate(), dictionary, MAX_BODY);
        long id = msg.id() + msg.route().length();
        msg.release();
        return id;
    }

    @Benchmark
    public int encodeResponse() {
        ByteBuf out = PomeloMessageCodec.encodePackage(alloc, response, dictionary, false);
        int length = out.readableBytes();
        out.release();
        return length;
    }

    @Benchmark
    public int encodePush() {
        ByteBuf out = PomeloMessageCodec.encodePackage(alloc, push, dictionary, false);
        int length = out.readableBytes();
        out.release();
        return length;
    }
}
