package io.switchboard.common.log;

import io.switchboard.common.time.Ticker;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * A {@link LogWindow} for each value of an enum of reasons (why a connection was closed, say), so a flood of one kind
 * does not hide the first line of another. Safe on any thread.
 */
public final class LogWindows<K extends Enum<K>> {
    private final Map<K, LogWindow> windows;

    public LogWindows(Class<K> reasons, Ticker ticker, Duration interval) {
        windows = new EnumMap<>(reasons);
        for (K reason : reasons.getEnumConstants()) {
            windows.put(reason, new LogWindow(ticker, interval));
        }
    }

    /** {@link LogWindow#admit()} of {@code reason}'s window. */
    public long admit(K reason) {
        return windows.get(reason).admit();
    }
}
