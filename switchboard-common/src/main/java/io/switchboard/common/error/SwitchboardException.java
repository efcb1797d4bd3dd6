package io.switchboard.common.error;

import java.util.Objects;

/**
 * An error that carries a code of the plan. Handlers throw it to answer with an error response;
 * the framework throws it for refusals it makes itself. Messages go to clients, so keep them free of secrets.
 */
public class SwitchboardException extends RuntimeException {
    private final ErrorCode errorCode;

    public SwitchboardException(ErrorCode errorCode) {
        this(errorCode, errorCode.message());
    }

    public SwitchboardException(ErrorCode errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    public SwitchboardException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The numeric code, as sent on the wire. */
    public long code() {
        return errorCode.code();
    }
}
