package io.switchboard.gate;


import io.switchboard.protocol.PomeloMessage;

/**
 * Receives the requests and notifies of established sessions (seed 002's {@code MessageListener}). Called on
 * the session's I/O thread, in arrival order; it owns {@code message} and must release it. It must not
 * block: the handler runtime hands the work to its own executors.
 */
@FunctionalInterface
public interface MessageListener {
    void receive(GateSession session, PomeloMessage message);
}
