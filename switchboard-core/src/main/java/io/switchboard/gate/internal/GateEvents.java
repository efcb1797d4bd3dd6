package io.switchboard.gate.internal;

/** User events the gate's handlers tell each other through the pipeline. */
enum GateEvents {
    /** The client acknowledged the handshake: the session is live and heartbeats start. */
    ESTABLISHED
}
