package io.switchboard.gate;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of sessions and users (module 6: 1,006,000,001 and up).
 *
 * <table>
 *   <caption>Session error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1006000001</td><td>NO_SUCH_SESSION</td><td>the session is gone (closed or never existed)</td></tr>
 * </table>
 */
public final class SessionErrors {
    public static final ErrorCode NO_SUCH_SESSION =
            ErrorModule.SESSION.code(1, "NO_SUCH_SESSION", "no such session");

    private SessionErrors() {
    }
}
