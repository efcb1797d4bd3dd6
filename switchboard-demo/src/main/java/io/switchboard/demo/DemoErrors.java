package io.switchboard.demo;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of the demo application (module 90: 1,090,000,001 and up).
 *
 * <table>
 *   <caption>Demo error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1090000001</td><td>BAD_JOIN</td><td>join needs {"room":"..","name":".."}, each 1–64 characters</td></tr>
 *   <tr><td>1090000002</td><td>NOT_IN_ROOM</td><td>say or leave before join</td></tr>
 * </table>
 */
public final class DemoErrors {
    public static final ErrorCode BAD_JOIN = ErrorModule.DEMO.code(1, "BAD_JOIN",
            "join needs {\"room\":\"..\",\"name\":\"..\"}, each 1-64 characters");
    public static final ErrorCode NOT_IN_ROOM = ErrorModule.DEMO.code(2, "NOT_IN_ROOM", "join a room first");

    private DemoErrors() {
    }
}
