/**
 * The gate: the server that holds client connections (raw TCP and WebSocket on one port, optionally TLS),
 * runs the Pomelo handshake and heartbeats (for Pomelo clients, and for DOMI clients, seed 001, DESIGN §12, whose
 * frames are translated to the same messages), keeps the {@link io.switchboard.gate.ChannelMap} of sessions
 * and hands each request or notify to a {@link io.switchboard.gate.MessageListener}. Shaped after seed 002's
 * {@code Server}: {@link io.switchboard.gate.Acceptor}, {@link io.switchboard.gate.MessageListener},
 * {@link io.switchboard.gate.StateListener}, read wait (the heartbeat), channel map, start, push, shutdown.
 */
package io.switchboard.gate;
