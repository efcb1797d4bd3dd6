package io.switchboard.common.error;

import java.util.Objects;

/**
 * One entry of the error-code plan: a uint32 code, the module that owns it, a stable name and the default
 * message sent to clients. Made through {@link ErrorModule#code(int, String, String)}.
 */
public final class ErrorCode {
    private final long code;
    private final ErrorModule module;
    private final String name;
    private final String message;

    ErrorCode(long code, ErrorModule module, String name, String message) {
        if (code < 0 || code > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not a uint32: " + code);
        }
        this.code = code;
        this.module = Objects.requireNonNull(module, "module");
        this.name = Objects.requireNonNull(name, "name");
        this.message = Objects.requireNonNull(message, "message");
    }

    /** The numeric code as sent on the wire (uint32). */
    public long code() {
        return code;
    }

    public ErrorModule module() {
        return module;
    }

    /** A stable upper-case name, for logs and documentation. */
    public String name() {
        return name;
    }

    /** The default human-readable message. */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorCode other && other.code == code;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(code);
    }

    @Override
    public String toString() {
        return name + "(" + code + ")";
    }
}
