/**
 * Benchmarks for Switchboard: a load generator that speaks the Pomelo client protocol over TCP or WebSocket
 * ({@link io.switchboard.bench.BenchRunner}, with scenarios echo, broadcast, connections, churn, resume, soak and
 * scale), the raw-Netty {@link io.switchboard.bench.BaselineServer} that Switchboard's figures are divided by, and the
 * JMH micro-benchmarks in {@code io.switchboard.bench.jmh}. Any server of the protocol that serves the demo
 * routes can be measured, Pomelo and Pitaya included.
 */
package io.switchboard.bench;
