package io.switchboard.protocol.kim;

import io.netty.handler.codec.TooLongFrameException;

/** A frame, header or body over its cap: refused from its length alone, before its bytes are buffered. */
public class KimTooLargeException extends TooLongFrameException {
    public KimTooLargeException(String what, long length, int max) {
        super("KIM " + what + " of " + length + " bytes is over the cap of " + max);
    }
}
