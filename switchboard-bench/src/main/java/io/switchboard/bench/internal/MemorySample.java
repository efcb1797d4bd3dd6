package io.switchboard.bench.internal;

/**
 * A server's memory at one moment, as far as it can be seen: JVM heap used, direct buffers, resident set
 * size, and the connections the server says it holds. Unknown values are -1.
 *
 * @param afterGc whether a full GC ran just before, so that the heap figure holds live objects only
 * @param source  how the figures were obtained, for the report
 */
public record MemorySample(long heapUsed, long directUsed, long residentBytes, long serverConnections,
                           boolean afterGc, String source) {
}
