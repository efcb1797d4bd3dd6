package io.switchboard.cluster.protocol;

/**
 * Told each time a decoder refuses a frame, so a link can count refusals (DESIGN §4: a bad CRC is counted).
 * Called on the channel's event loop just before the {@link ClusterFrameException} is thrown; it must be quick
 * and must not throw. {@link FrameRejectionCounter} is a ready-made implementation.
 */
@FunctionalInterface
public interface FrameRejectionListener {

    /** A listener that does nothing. */
    FrameRejectionListener NOOP = reason -> { };

    void frameRejected(FrameRejectReason reason);

    /** Tells this listener of the refusal and returns the exception to throw; a failing listener is kept visible. */
    default ClusterFrameException rejected(FrameRejectReason reason, String detail, Throwable cause) {
        ClusterFrameException exception = new ClusterFrameException(reason, detail, cause);
        try {
            frameRejected(reason);
        } catch (RuntimeException listenerFailure) {
            exception.addSuppressed(listenerFailure);
        }
        return exception;
    }
}
