package io.switchboard.api.errors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of the gate (module 1: 1,001,000,001 and up). Most gate errors end the connection with a kick
 * reason instead of a code; these are the ones a client can receive in an error response.
 *
 * <table>
 *   <caption>Gate error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1001000001</td><td>NOT_BOUND</td><td>the route needs a logged-in (bound) session</td></tr>
 *   <tr><td>1001000002</td><td>TOO_MANY_PENDING</td><td>the session has too many requests in progress</td></tr>
 *   <tr><td>1001000003</td><td>SHUTTING_DOWN</td><td>the gate is draining and takes no new work</td></tr>
 * </table>
 */
public final class GateErrors {
    public static final ErrorCode NOT_BOUND =
            ErrorModule.GATE.code(1, "NOT_BOUND", "this route needs a logged-in session");
    public static final ErrorCode TOO_MANY_PENDING =
            ErrorModule.GATE.code(2, "TOO_MANY_PENDING", "too many requests in progress");
    public static final ErrorCode SHUTTING_DOWN =
            ErrorModule.GATE.code(3, "SHUTTING_DOWN", "the server is shutting down");

    private GateErrors() {
    }
}
