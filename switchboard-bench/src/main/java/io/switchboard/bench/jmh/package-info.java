/**
 * JMH micro-benchmarks of the hot paths under every connection: package and message codecs, the route
 * dictionary, cluster frames with their CRC32C, and the snowflake ID generator. They ship in the bench jar;
 * {@code switchboard bench jmh} or {@code java -cp <class path> org.openjdk.jmh.Main} runs them.
 */
package io.switchboard.bench.jmh;
