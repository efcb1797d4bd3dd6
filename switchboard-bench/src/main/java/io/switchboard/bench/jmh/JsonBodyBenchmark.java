package io.switchboard.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.serialization.JsonSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What a JSON handler's body costs the server per request: the 64-byte body of {@code bench echo} read into a tree and
 * written back, through the serializer the gate and nodes use. The raw-Netty baseline echoes the bytes and pays none
 * of it, so this is the part of the echo gap no dispatch change can close.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1)
public class JsonBodyBenchmark {
    /** The same shape and size as the echo load's body. */
    private static final int BODY_BYTES = 64;

    private byte[] body;
    private JsonNode tree;

    @Setup
    public void setUp() throws IOException {
        body = ("{\"m\":\"" + "x".repeat(BODY_BYTES - 8) + "\"}").getBytes(StandardCharsets.US_ASCII);
        tree = parse();
    }

    @Benchmark
    public JsonNode parse() throws IOException {
        return (JsonNode) JsonSerializer.INSTANCE.decode(body, JsonNode.class);
    }

    @Benchmark
    public byte[] serialize() throws IOException {
        return JsonSerializer.INSTANCE.encode(tree);
    }

    @Benchmark
    public byte[] parseAndSerialize() throws IOException {
        return JsonSerializer.INSTANCE.encode(JsonSerializer.INSTANCE.decode(body, JsonNode.class));
    }
}
