package io.switchboard.protocol;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * Input that breaks the Pomelo protocol. The connection that sent it is closed with {@link #reason()}
 * (sent to the client in a kick package where the connection can still carry one); the server goes on.
 */
public class PomeloProtocolException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    public PomeloProtocolException(String reason) {
        super(reason);
    }

    /** A short reason, fit to send to the client. */
    public String reason() {
        return getMessage();
    }
}
