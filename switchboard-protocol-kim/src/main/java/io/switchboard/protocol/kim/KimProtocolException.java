package io.switchboard.protocol.kim;

import io.netty.handler.codec.CorruptedFrameException;

/** Bytes that are not KIM's wire (a wrong magic, a header that is not protobuf, a bad opcode): the connection ends. */
public class KimProtocolException extends CorruptedFrameException {
    public KimProtocolException(String message) {
        super(message);
    }

    public KimProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
