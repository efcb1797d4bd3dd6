package io.switchboard.chat;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;

/**
 * Error codes of the chat application (module 10: 1,010,000,001 and up), sent in error responses, and in the
 * handshake's {@code user} object when a handshake token is refused.
 *
 * <table>
 *   <caption>Chat error codes</caption>
 *   <tr><th>code</th><th>name</th><th>meaning</th></tr>
 *   <tr><td>1010000001</td><td>BAD_NAME</td><td>names are 3 to 20 of a-z, 0-9 and _, starting with a letter</td></tr>
 *   <tr><td>1010000002</td><td>BAD_PASSWORD</td><td>passwords are 8 to 128 characters</td></tr>
 *   <tr><td>1010000003</td><td>NAME_TAKEN</td><td>another account has this name</td></tr>
 *   <tr><td>1010000004</td><td>WRONG_PASSWORD</td><td>no account with this name and password</td></tr>
 *   <tr><td>1010000005</td><td>BAD_TOKEN</td><td>the token is malformed, forged, or revoked by a logout</td></tr>
 *   <tr><td>1010000006</td><td>TOKEN_EXPIRED</td><td>the token is past its expiry; log in again</td></tr>
 *   <tr><td>1010000007</td><td>NOT_LOGGED_IN</td><td>the route needs a logged-in session</td></tr>
 *   <tr><td>1010000008</td><td>ALREADY_LOGGED_IN</td><td>this connection is logged in as another user</td></tr>
 *   <tr><td>1010000009</td><td>NO_SUCH_USER</td><td>no account with this name</td></tr>
 *   <tr><td>1010000010</td><td>NO_SUCH_CONVERSATION</td><td>no conversation with this id</td></tr>
 *   <tr><td>1010000011</td><td>NOT_A_MEMBER</td><td>the user is not a member of the conversation</td></tr>
 *   <tr><td>1010000012</td><td>ALREADY_A_MEMBER</td><td>the user is already a member of the group</td></tr>
 *   <tr><td>1010000013</td><td>BAD_MESSAGE</td><td>message text is 1 to 2000 characters</td></tr>
 *   <tr><td>1010000014</td><td>BAD_GROUP_NAME</td><td>group names are 1 to 40 characters, not blank</td></tr>
 *   <tr><td>1010000015</td><td>BAD_REQUEST</td><td>a field is missing, of the wrong type or out of range</td></tr>
 *   <tr><td>1010000016</td><td>NOT_A_GROUP</td><td>the route takes a group, not a direct conversation</td></tr>
 *   <tr><td>1010000017</td><td>STORAGE_UNAVAILABLE</td><td>the database cannot be reached; try again</td></tr>
 *   <tr><td>1010000018</td><td>AUTH_BUSY</td><td>the password workers are full (register, login) or the handshake's token
 *       workers are; nothing was tried, try again shortly</td></tr>
 *   <tr><td>1010000019</td><td>AUTH_IN_PROGRESS</td><td>this connection already has a register, login or resume
 *       running; wait for its answer</td></tr>
 *   <tr><td>1010000020</td><td>TOO_MANY_ATTEMPTS</td><td>too many failed logins for this name or from this address:
 *       locked for a time that doubles with each further failure (the message says how long); no password was
 *       checked</td></tr>
 *   <tr><td>1010000021</td><td>GROUP_FULL</td><td>the group has the most members a group may have</td></tr>
 *   <tr><td>1010000022</td><td>TOO_MANY_GROUPS</td><td>the user (you, or one you invite) is in the most groups one
 *       may be in; leave one first</td></tr>
 * </table>
 */
public final class ChatErrors {
    public static final ErrorCode BAD_NAME = ErrorModule.CHAT.code(1, "BAD_NAME",
            "names are 3 to 20 characters: a-z, 0-9 and _, starting with a letter");
    public static final ErrorCode BAD_PASSWORD = ErrorModule.CHAT.code(2, "BAD_PASSWORD",
            "passwords are 8 to 128 characters");
    public static final ErrorCode NAME_TAKEN = ErrorModule.CHAT.code(3, "NAME_TAKEN",
            "this name is taken");
    public static final ErrorCode WRONG_PASSWORD = ErrorModule.CHAT.code(4, "WRONG_PASSWORD",
            "wrong name or password");
    public static final ErrorCode BAD_TOKEN = ErrorModule.CHAT.code(5, "BAD_TOKEN",
            "bad token; log in again");
    public static final ErrorCode TOKEN_EXPIRED = ErrorModule.CHAT.code(6, "TOKEN_EXPIRED",
            "token expired; log in again");
    public static final ErrorCode NOT_LOGGED_IN = ErrorModule.CHAT.code(7, "NOT_LOGGED_IN",
            "log in first");
    public static final ErrorCode ALREADY_LOGGED_IN = ErrorModule.CHAT.code(8, "ALREADY_LOGGED_IN",
            "this connection is logged in as another user");
    public static final ErrorCode NO_SUCH_USER = ErrorModule.CHAT.code(9, "NO_SUCH_USER",
            "no such user");
    public static final ErrorCode NO_SUCH_CONVERSATION = ErrorModule.CHAT.code(10, "NO_SUCH_CONVERSATION",
            "no such conversation");
    public static final ErrorCode NOT_A_MEMBER = ErrorModule.CHAT.code(11, "NOT_A_MEMBER",
            "not a member of this conversation");
    public static final ErrorCode ALREADY_A_MEMBER = ErrorModule.CHAT.code(12, "ALREADY_A_MEMBER",
            "already a member of this group");
    public static final ErrorCode BAD_MESSAGE = ErrorModule.CHAT.code(13, "BAD_MESSAGE",
            "message text is 1 to 2000 characters");
    public static final ErrorCode BAD_GROUP_NAME = ErrorModule.CHAT.code(14, "BAD_GROUP_NAME",
            "group names are 1 to 40 characters, not blank");
    public static final ErrorCode BAD_REQUEST = ErrorModule.CHAT.code(15, "BAD_REQUEST",
            "bad request");
    public static final ErrorCode NOT_A_GROUP = ErrorModule.CHAT.code(16, "NOT_A_GROUP",
            "this is not a group");
    public static final ErrorCode STORAGE_UNAVAILABLE = ErrorModule.CHAT.code(17, "STORAGE_UNAVAILABLE",
            "storage unavailable; try again");
    public static final ErrorCode AUTH_BUSY = ErrorModule.CHAT.code(18, "AUTH_BUSY",
            "too many logins at once; try again shortly");
    public static final ErrorCode AUTH_IN_PROGRESS = ErrorModule.CHAT.code(19, "AUTH_IN_PROGRESS",
            "a login is already in progress on this connection");
    public static final ErrorCode TOO_MANY_ATTEMPTS = ErrorModule.CHAT.code(20, "TOO_MANY_ATTEMPTS",
            "too many failed logins; try again later");
    public static final ErrorCode GROUP_FULL = ErrorModule.CHAT.code(21, "GROUP_FULL",
            "the group is full");
    public static final ErrorCode TOO_MANY_GROUPS = ErrorModule.CHAT.code(22, "TOO_MANY_GROUPS",
            "in too many groups");

    private ChatErrors() {
    }
}
