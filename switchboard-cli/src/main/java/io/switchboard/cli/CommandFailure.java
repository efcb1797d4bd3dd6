package io.switchboard.cli;

/**
 * A command that cannot go on for a reason outside the command line (a registry or store it cannot reach, a file it
 * cannot write): {@link Main} prints the message as one line and exits 1, with no stack trace.
 */
final class CommandFailure extends RuntimeException {
    CommandFailure(String message, Throwable cause) {
        // No stack trace: only the message is ever shown.
        super(message, cause, false, false);
    }

    CommandFailure(String message) {
        this(message, null);
    }

    /**
     * The innermost message of {@code e} ("Connection refused"), which says what went wrong without the wrappers'
     * noise: for the one line a failure is reported in.
     */
    static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            message = t.getMessage() != null ? t.getMessage() : message;
        }
        return message;
    }
}
