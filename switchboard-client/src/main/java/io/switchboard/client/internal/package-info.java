/**
 * How the client SDK works inside: the pipeline it puts on a dialed channel, the handler that runs the
 * Pomelo handshake, heartbeats and request bookkeeping, and the route dictionary the server hands out.
 * Not API: anything here may change without notice.
 */
package io.switchboard.client.internal;
