package io.switchboard.globaldb;

/** What an admin command needs of the operator's {@link Role}. */
public enum Permission {
    LIST, WATCH, START, STOP, KILL, USERS
}
