/** The gate's channel pipeline: protocol detection, handshake, heartbeat, limits. Not public API. */
package io.switchboard.gate.internal;
