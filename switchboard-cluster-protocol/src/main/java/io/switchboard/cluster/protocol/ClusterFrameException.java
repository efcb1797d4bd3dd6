package io.switchboard.cluster.protocol;

import io.netty.handler.codec.CorruptedFrameException;

import java.util.Objects;

/** A cluster frame was refused; {@link #reason()} says why, the message gives the detail. */
public class ClusterFrameException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    private final FrameRejectReason reason;

    public ClusterFrameException(FrameRejectReason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail);
        this.reason = reason;
    }

    public ClusterFrameException(FrameRejectReason reason, String detail, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail, cause);
        this.reason = reason;
    }

    public FrameRejectReason reason() {
        return reason;
    }
}
