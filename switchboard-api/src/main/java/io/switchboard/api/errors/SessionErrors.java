package io.switchboard.api.errors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of sessions and users (module 6: 1,006,000,001 and up).
 *
 * <table>
 *   <caption>Session error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1006000001</td><td>NO_SUCH_SESSION</td><td>the session is gone (closed or never existed)</td></tr>
 *   <tr><td>1006000002</td><td>ALREADY_LOGGED_IN</td><td>the user is logged in elsewhere and the login policy
 *       refuses a second login</td></tr>
 *   <tr><td>1006000003</td><td>USER_OFFLINE</td><td>no session is bound to the user id</td></tr>
 *   <tr><td>1006000004</td><td>BAD_USER_ID</td><td>user ids are 1–128 characters</td></tr>
 *   <tr><td>1006000005</td><td>DIRECTORY_UNAVAILABLE</td><td>the session directory (Redis) cannot be
 *       reached</td></tr>
 * </table>
 */
public final class SessionErrors {
    public static final ErrorCode NO_SUCH_SESSION =
            ErrorModule.SESSION.code(1, "NO_SUCH_SESSION", "no such session");
    public static final ErrorCode ALREADY_LOGGED_IN =
            ErrorModule.SESSION.code(2, "ALREADY_LOGGED_IN", "this user is logged in elsewhere");
    public static final ErrorCode USER_OFFLINE =
            ErrorModule.SESSION.code(3, "USER_OFFLINE", "the user is not online");
    public static final ErrorCode BAD_USER_ID =
            ErrorModule.SESSION.code(4, "BAD_USER_ID", "user ids are 1-128 characters");
    public static final ErrorCode DIRECTORY_UNAVAILABLE =
            ErrorModule.SESSION.code(5, "DIRECTORY_UNAVAILABLE", "the session directory is unavailable");

    private SessionErrors() {
    }
}
