package io.switchboard.gate.internal;

/** What a heartbeat is on a client wire and how the gate answers it, for the {@link HeartbeatHandler}. */
interface HeartbeatWire {

    /** The answer to {@code msg} if it is a heartbeat (the handler then releases {@code msg}), else {@code null}. */
    Object answerTo(Object msg);

    /** What the gate sends once the session is established, or {@code null}. */
    Object first();
}
