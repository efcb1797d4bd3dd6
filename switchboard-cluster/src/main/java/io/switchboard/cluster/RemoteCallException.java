package io.switchboard.cluster;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.errors.HandlerErrors;

/**
 * A remote call answered with an error: {@link #code()} is the code the remote side sent (or a
 * {@link ClusterErrors} code when the call never got an answer), {@link #getMessage()} its message.
 */
public final class RemoteCallException extends SwitchboardException {
    private final long remoteCode;

    public RemoteCallException(long remoteCode, String message) {
        super(toErrorCode(remoteCode, message), message);
        this.remoteCode = remoteCode;
    }

    /** The code exactly as received, even when it is outside the error-code plan. */
    @Override
    public long code() {
        return remoteCode;
    }

    private static ErrorCode toErrorCode(long code, String message) {
        ErrorModule module = ErrorModule.of(code);
        if (module == null) {
            return HandlerErrors.HANDLER_FAILED;
        }
        return module.code((int) (code - module.first()), "REMOTE", message.isEmpty() ? "remote error" : message);
    }
}
