/**
 * The Java client SDK: {@link io.switchboard.client.SwitchboardClient} speaks the Pomelo client protocol to a
 * Switchboard gate (or any Pomelo or Pitaya server) over TCP, TLS, WebSocket or secure WebSocket.
 *
 * <p>A {@link io.switchboard.client.Dialer} readies the transport ({@link io.switchboard.client.TcpDialer},
 * {@link io.switchboard.client.WebSocketDialer}); the client then runs the Pomelo handshake, keeps the
 * connection alive with heartbeats, matches responses to requests and hands pushes to listeners. Everything
 * below this package's API lives in {@code io.switchboard.client.internal} and may change without notice.
 */
package io.switchboard.client;
