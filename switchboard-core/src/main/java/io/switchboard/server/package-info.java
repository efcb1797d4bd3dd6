/**
 * Ready-to-run servers: {@link io.switchboard.server.StandaloneServer} puts a gate, the handler runtime,
 * metrics and the admin HTTP server in one JVM (DESIGN §2, standalone mode).
 */
package io.switchboard.server;
