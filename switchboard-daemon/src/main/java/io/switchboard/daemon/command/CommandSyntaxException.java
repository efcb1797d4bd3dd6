package io.switchboard.daemon.command;

/** A command line that is not a command; the message says what would be. */
public final class CommandSyntaxException extends Exception {

    public CommandSyntaxException(String message) {
        super(message);
    }
}
