package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * New accounts per client address: at most {@code perWindow} registrations in each window of {@code window} counted
 * from the address's first one, refused with {@link ChatErrors#TOO_MANY_ATTEMPTS} before any hashing. Without it one
 * address could create accounts (rows, and a hash each on the auth pool) as fast as the pool allows. Attempts count
 * once a name and password are well-formed and the name is free. The table keeps at most {@code capacity}
 * addresses, the least recently seen dropped first. Time comes from the injected clock.
 */
public final class RegistrationLimit {
    private final Clock clock;
    private final int perWindow;
    private final long windowMillis;
    private final Map<String, Window> windows;

    /** One address's window: when it began and how many registrations it has had. */
    private static final class Window {
        final long start;
        int count;

        Window(long start) {
            this.start = start;
        }
    }

    public RegistrationLimit(Clock clock, int perWindow, Duration window, int capacity) {
        this.clock = clock;
        this.perWindow = perWindow;
        this.windowMillis = window.toMillis();
        this.windows = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Counts a registration from {@code client} ({@link LoginThrottle#clientOf}; {@code null} where the address is
     * not known, which is not limited here).
     *
     * @throws SwitchboardException {@link ChatErrors#TOO_MANY_ATTEMPTS}, saying for how long
     */
    public synchronized void admit(String client) {
        if (client == null) {
            return;
        }
        long now = clock.millis();
        Window window = windows.get(client);
        if (window == null || now - window.start >= windowMillis) {
            window = new Window(now);
            windows.put(client, window);
        }
        if (window.count >= perWindow) {
            long seconds = Duration.ofMillis(window.start + windowMillis - now).plusMillis(999).toSeconds();
            throw new SwitchboardException(ChatErrors.TOO_MANY_ATTEMPTS,
                    "too many accounts registered from this address; try again in " + seconds + " s");
        }
        window.count++;
    }

    synchronized int trackedClients() {
        return windows.size();
    }
}
