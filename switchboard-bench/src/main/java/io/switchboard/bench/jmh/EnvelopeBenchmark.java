package io.switchboard.bench.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * A forwarded client request's Envelope (DESIGN §4) as the cluster path handles it: built at the gate, stamped with a
 * hop time and serialized; parsed and read at the node. A 64-byte payload, as the echo benchmark sends.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class EnvelopeBenchmark {
    private static final ByteString PAYLOAD = ByteString.copyFrom(new byte[64]);
    private long requestId;
    private byte[] serialized;

    @Setup
    public void setUp() {
        serialized = build().toByteArray();
    }

    private Envelope build() {
        return Envelopes.builder(Kind.REQUEST).requestId(++requestId).route("demo.echo.say").sessionId(123_456_789L)
                .gateId(1).userId("user-42").remainingMs(30_000).payload(PAYLOAD).build();
    }

    @Benchmark
    public byte[] buildStampSerialize() {
        return Envelopes.stampHop(build(), 1_700_000_000_000_000L).toByteArray();
    }

    @Benchmark
    public long parseAndRead() throws InvalidProtocolBufferException {
        Envelope envelope = Envelopes.parse(serialized);
        return Envelopes.requestId(envelope) + Envelopes.sessionId(envelope) + Envelopes.route(envelope).length()
                + Envelopes.payload(envelope).size() + Envelopes.kind(envelope).getNumber();
    }
}
