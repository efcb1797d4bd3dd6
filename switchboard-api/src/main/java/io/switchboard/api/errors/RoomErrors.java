package io.switchboard.api.errors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of rooms (module {@link ErrorModule#ROOM}: 1,002,000,001 and up), sent in error responses.
 *
 * <table>
 *   <caption>Room error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1002000001</td><td>ROOM_NOT_FOUND</td><td>no room has this id (on this node)</td></tr>
 *   <tr><td>1002000002</td><td>ROOM_EXISTS</td><td>create was asked for an id already in use</td></tr>
 *   <tr><td>1002000003</td><td>ROOM_CLOSED</td><td>the room closed before the message reached it</td></tr>
 *   <tr><td>1002000004</td><td>NOT_A_MEMBER</td><td>the user or session is not in the room</td></tr>
 *   <tr><td>1002000005</td><td>NO_ROOM_HANDLER</td><td>the room has no handler for the route</td></tr>
 *   <tr><td>1002000006</td><td>BAD_ROOM_ID</td><td>room ids are 1–128 characters</td></tr>
 * </table>
 */
public final class RoomErrors {
    public static final ErrorCode ROOM_NOT_FOUND = ErrorModule.ROOM.code(1, "ROOM_NOT_FOUND", "no such room");
    public static final ErrorCode ROOM_EXISTS = ErrorModule.ROOM.code(2, "ROOM_EXISTS", "the room exists already");
    public static final ErrorCode ROOM_CLOSED = ErrorModule.ROOM.code(3, "ROOM_CLOSED", "the room is closed");
    public static final ErrorCode NOT_A_MEMBER = ErrorModule.ROOM.code(4, "NOT_A_MEMBER", "not a member of the room");
    public static final ErrorCode NO_ROOM_HANDLER =
            ErrorModule.ROOM.code(5, "NO_ROOM_HANDLER", "the room has no handler for this route");
    public static final ErrorCode BAD_ROOM_ID = ErrorModule.ROOM.code(6, "BAD_ROOM_ID", "room ids are 1-128 characters");

    private RoomErrors() {
    }
}
