/**
 * One runtime for every process kind (standalone, gate, service node, and the resource manager, router and daemon to
 * come): an immutable {@link io.switchboard.runtime.ProcessConfig}, one {@link io.switchboard.runtime.WorkerPool}
 * policy with a bounded queue, one admin HTTP with {@code /health}, {@code /metrics} and {@code POST /shutdown}, and one
 * order: start, serve, drain, close. A kind is a list of {@link io.switchboard.runtime.ProcessPart}s. DESIGN §5
 * (shutdown and drain) and §10 (admin on loopback).
 */
package io.switchboard.runtime;
