package io.switchboard.api.errors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of the handler runtime (module 3: 1,003,000,001 and up), sent in error responses.
 *
 * <table>
 *   <caption>Handler error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1003000001</td><td>ROUTE_NOT_FOUND</td><td>no handler has this route</td></tr>
 *   <tr><td>1003000002</td><td>BAD_BODY</td><td>the body cannot be read as the handler's body type</td></tr>
 *   <tr><td>1003000003</td><td>HANDLER_FAILED</td><td>the handler failed unexpectedly (details in the server log)</td></tr>
 *   <tr><td>1003000004</td><td>NOT_A_REQUEST</td><td>the route takes notifies only</td></tr>
 *   <tr><td>1003000005</td><td>RATE_LIMITED</td><td>too many messages; slow down</td></tr>
 *   <tr><td>1003000006</td><td>BAD_ROUTE</td><td>the route is not of the form service.handler.method</td></tr>
 *   <tr><td>1003000007</td><td>ANSWER_TOO_LARGE</td><td>the handler's answer is larger than the way back to the
 *   client carries (a cluster link's frame); the handler ran</td></tr>
 * </table>
 */
public final class HandlerErrors {
    public static final ErrorCode ROUTE_NOT_FOUND =
            ErrorModule.HANDLER.code(1, "ROUTE_NOT_FOUND", "no handler for this route");
    public static final ErrorCode BAD_BODY =
            ErrorModule.HANDLER.code(2, "BAD_BODY", "bad request body");
    public static final ErrorCode HANDLER_FAILED =
            ErrorModule.HANDLER.code(3, "HANDLER_FAILED", "internal error");
    public static final ErrorCode NOT_A_REQUEST =
            ErrorModule.HANDLER.code(4, "NOT_A_REQUEST", "this route takes notifies only");
    public static final ErrorCode RATE_LIMITED =
            ErrorModule.HANDLER.code(5, "RATE_LIMITED", "too many messages");
    public static final ErrorCode BAD_ROUTE =
            ErrorModule.HANDLER.code(6, "BAD_ROUTE", "routes are service.handler.method");
    public static final ErrorCode ANSWER_TOO_LARGE =
            ErrorModule.HANDLER.code(7, "ANSWER_TOO_LARGE", "the answer is too large to send");

    private HandlerErrors() {
    }
}
