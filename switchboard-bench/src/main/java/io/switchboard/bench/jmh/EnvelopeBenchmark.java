package io.switchboard.bench.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A forwarded client request's Envelope (DESIGN §4) as the cluster path handles it: built at the gate, stamped with a
 * hop time and serialized; parsed and read at the node. A 64-byte payload, as the echo benchmark sends. And a node's
 * BROADCAST to the 1,000 members of a room on one gate, as the broadcast benchmark sends: built and serialized at the
 * node, parsed and its target ids read at the gate. And both parsed from a direct buffer, as a link reads them: with
 * {@link Envelopes#parse(ByteBuf)}, the link decoder's parse, which copies the bytes to an array first, against
 * protobuf's decoder of a direct {@code ByteBuffer}, which the link used before a fuzzed frame made that decoder read
 * past the buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class EnvelopeBenchmark {
    private static final ByteString PAYLOAD = ByteString.copyFrom(new byte[64]);
    private static final int BROADCAST_TARGETS = 1_000;
    /** Snowflake-sized session ids: nine bytes each as varints, as a gate's are. */
    private static final long FIRST_SESSION_ID = 0x0123_4567_0000_0000L;
    /** The client's address, as a gate puts it on each request since it sends it (an IPv4 address and port). */
    private static final ByteString CLIENT_ADDRESS = Envelopes.addressBytes(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_123));
    /** Whether the request carries the client's address: its cost, compared in one run. */
    @Param({"true", "false"})
    public boolean withClientAddress;
    private final long[] targets = new long[BROADCAST_TARGETS];
    private long requestId;
    private byte[] serialized;
    private byte[] broadcast;
    private ByteBuf directRequest;
    private ByteBuf directBroadcast;

    @Setup
    public void setUp() {
        serialized = build().toByteArray();
        for (int i = 0; i < targets.length; i++) {
            targets[i] = FIRST_SESSION_ID + i;
        }
        broadcast = buildBroadcast().toByteArray();
        directRequest = Unpooled.directBuffer(serialized.length).writeBytes(serialized);
        directBroadcast = Unpooled.directBuffer(broadcast.length).writeBytes(broadcast);
    }

    @TearDown
    public void tearDown() {
        directRequest.release();
        directBroadcast.release();
    }

    private Envelope buildBroadcast() {
        return Envelopes.builder(Kind.BROADCAST).route("onChat").gateId(1).sourceNodeId(2)
                .targetSessionIds(targets, targets.length).payload(PAYLOAD).build();
    }

    private Envelope build() {
        EnvelopeBuilder request = Envelopes.builder(Kind.REQUEST).requestId(++requestId).route("demo.echo.say")
                .sessionId(123_456_789L).gateId(1).userId("user-42").remainingMs(30_000).payload(PAYLOAD);
        return (withClientAddress ? request.clientAddress(CLIENT_ADDRESS) : request).build();
    }

    @Benchmark
    public byte[] buildStampSerialize() {
        return Envelopes.stampHop(build(), 1_700_000_000_000_000L).toByteArray();
    }

    @Benchmark
    public long parseAndRead() throws InvalidProtocolBufferException {
        Envelope envelope = Envelopes.parse(serialized);
        return Envelopes.requestId(envelope) + Envelopes.sessionId(envelope) + Envelopes.route(envelope).length()
                + Envelopes.payload(envelope).size() + Envelopes.kind(envelope).getNumber()
                + envelope.getClientAddress().size();
    }

    @Benchmark
    public byte[] broadcastBuildSerialize() {
        return buildBroadcast().toByteArray();
    }

    @Benchmark
    public long broadcastParseAndRead() throws InvalidProtocolBufferException {
        Envelope envelope = Envelopes.parse(broadcast);
        long sum = Envelopes.payload(envelope).size();
        int count = Envelopes.targetSessionIdCount(envelope);
        for (int i = 0; i < count; i++) {
            sum += Envelopes.targetSessionId(envelope, i);
        }
        return sum;
    }

    @Benchmark
    public Envelope requestFromDirectCopied() throws InvalidProtocolBufferException {
        return Envelopes.parse(directRequest);
    }

    @Benchmark
    public Envelope requestFromDirectUnsafe() throws InvalidProtocolBufferException {
        return parseThroughDirectDecoder(directRequest);
    }

    @Benchmark
    public Envelope broadcastFromDirectCopied() throws InvalidProtocolBufferException {
        return Envelopes.parse(directBroadcast);
    }

    @Benchmark
    public Envelope broadcastFromDirectUnsafe() throws InvalidProtocolBufferException {
        return parseThroughDirectDecoder(directBroadcast);
    }

    /** The link decoder's way before the crash fix, kept here only to compare with. */
    private static Envelope parseThroughDirectDecoder(ByteBuf data) throws InvalidProtocolBufferException {
        return Envelope.parser().parseFrom(CodedInputStream.newInstance(data.nioBuffer()));
    }
}
