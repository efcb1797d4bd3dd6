package io.switchboard.api.errors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of the process runtime (module 7: 1,007,000,001 and up).
 *
 * <table>
 *   <caption>Runtime error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1007000001</td><td>OVERLOADED</td><td>the workers' queue is full; the request was not run, try
 *       again later</td></tr>
 * </table>
 */
public final class RuntimeErrors {
    public static final ErrorCode OVERLOADED =
            ErrorModule.RUNTIME.code(1, "OVERLOADED", "the server is overloaded; try again later");

    private RuntimeErrors() {
    }
}
