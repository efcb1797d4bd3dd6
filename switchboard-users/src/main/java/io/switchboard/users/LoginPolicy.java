package io.switchboard.users;

/** What a second login of the same user id does. */
public enum LoginPolicy {
    /** The new session wins; older ones are kicked with "logged in elsewhere" (the default). */
    KICK_OLD,
    /** The new login is refused with {@link io.switchboard.api.errors.SessionErrors#ALREADY_LOGGED_IN}. */
    REFUSE_NEW,
    /** Several sessions per user; pushes reach all of them. */
    ALLOW_MULTIPLE
}
