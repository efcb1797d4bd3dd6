package io.switchboard.common.error;

/**
 * The module numbers of the error-code plan. A code is {@code 1_000_000_000 + number × 1_000_000 + n}
 * with {@code 1 <= n <= 999_999}, so each module owns the range {@code (1,0MM,000,000 .. 1,0MM,999,999]}.
 */
public enum ErrorModule {
    /** Client connections: handshake, limits, heartbeats, kicks. */
    GATE(1),
    /** Rooms (DOMI's groups): placement, membership. */
    ROOM(2),
    /** The handler runtime: unknown routes, bad bodies, handler failures. */
    HANDLER(3),
    /** The cluster link and remote calls between processes. */
    CLUSTER(4),
    /** The registry: node ids, registration. */
    REGISTRY(5),
    /** Sessions and users: login, binding, kicks across gates. */
    SESSION(6),
    /** The process runtime: workers, lifecycle. */
    RUNTIME(7),
    /** The chat application. */
    CHAT(10),
    /** The demo application of {@code switchboard demo}. */
    DEMO(90);

    /** Every code of the plan is above this base. */
    public static final long BASE = 1_000_000_000L;
    /** Codes per module. */
    public static final long SPAN = 1_000_000L;

    private final int number;

    ErrorModule(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The first code of this module, exclusive: codes are {@code first() + n} with n from 1 to 999,999. */
    public long first() {
        return BASE + number * SPAN;
    }

    /** Makes the code {@code n} of this module. */
    public ErrorCode code(int n, String name, String message) {
        if (n < 1 || n >= SPAN) {
            throw new IllegalArgumentException("error number out of range 1..999999: " + n);
        }
        return new ErrorCode(first() + n, this, name, message);
    }

    /** The module a code belongs to, or {@code null} when the code is outside the plan. */
    public static ErrorModule of(long code) {
        if (code <= BASE) {
            return null;
        }
        long number = (code - BASE) / SPAN;
        for (ErrorModule module : values()) {
            if (module.number == number && code != module.first()) {
                return module;
            }
        }
        return null;
    }
}
