package io.switchboard.protocol.domi;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * Input that breaks the DOMI framing. The connection that sent it is closed with {@link #reason()}; the server goes
 * on.
 */
public class DomiProtocolException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    public DomiProtocolException(String reason) {
        super(reason);
    }

    /** A short reason, fit to send to the client. */
    public String reason() {
        return getMessage();
    }
}
