package io.switchboard.resource.config;

import java.util.Objects;

/**
 * One thing wrong with the conf directory, where it is: {@code file:line:column: error: message}. Line and column
 * count from 1; 0 means the problem is the file as a whole (it is missing, say).
 *
 * @param severity an error refuses the config; a warning is reported and the config is used
 * @param file     the file's name inside the conf directory
 */
public record ConfigProblem(Severity severity, String file, int line, int column, String message) {

    /** How bad a problem is. */
    public enum Severity { ERROR, WARNING }

    public ConfigProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:column: error: message}, the form compilers print, so editors can jump to it. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (isError() ? "error" : "warning") + ": " + message;
    }
}
