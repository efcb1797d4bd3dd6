package io.switchboard.common.id;

/**
 * The clock went back further than a {@link Snowflake} waits for. Ids issued now could repeat earlier ones, so
 * none are issued until the clock is within {@link Snowflake#MAX_CLOCK_BACKWARD_MILLIS} of where it was; the
 * generator recovers by itself after that.
 */
public class ClockMovedBackwardsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long behindMillis;

    public ClockMovedBackwardsException(long behindMillis, long toleratedMillis) {
        super("clock moved backwards by " + behindMillis + " ms (up to " + toleratedMillis
                + " ms is waited for); refusing to issue snowflake ids until it catches up");
        this.behindMillis = behindMillis;
    }

    /** How far behind the last issued id's timestamp the clock was. */
    public long behindMillis() {
        return behindMillis;
    }
}
