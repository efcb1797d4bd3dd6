package io.switchboard.gate.internal;

import io.switchboard.protocol.kim.BasicPacket;
import io.switchboard.protocol.kim.KimOpCode;

/**
 * KIM's heartbeats: a ping basic packet is answered with a pong one (KIM's gateway handler does so), and over TCP a
 * ping frame with a pong frame (its TCP client's own heartbeat). The gate sends none first.
 */
enum KimHeartbeats implements HeartbeatWire {
    INSTANCE;

    @Override
    public Object answerTo(Object msg) {
        if (msg instanceof BasicPacket basic && basic.isPing()) {
            return BasicPacket.PONG;
        }
        return msg == KimOpCode.PING ? KimOpCode.PONG : null;
    }

    @Override
    public Object first() {
        return null;
    }
}
