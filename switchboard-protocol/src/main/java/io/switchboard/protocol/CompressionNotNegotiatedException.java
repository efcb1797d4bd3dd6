package io.switchboard.protocol;

/** A message with a zlib-compressed body from a peer that did not ask for compression in its handshake. */
public final class CompressionNotNegotiatedException extends PomeloProtocolException {
    private static final long serialVersionUID = 1L;

    public CompressionNotNegotiatedException() {
        super("compressed body, but compression was not negotiated");
    }
}
