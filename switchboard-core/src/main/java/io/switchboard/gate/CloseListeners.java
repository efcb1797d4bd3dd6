package io.switchboard.gate;

import io.switchboard.api.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The close listeners of one {@link Session}: each runs exactly once with the close reason, at once when added
 * after the close. Every {@link Session} implementation keeps one (a gate's sessions and a node's remote ones).
 */
public final class CloseListeners {
    private static final Logger log = LoggerFactory.getLogger(CloseListeners.class);

    private final List<BiConsumer<Session, String>> listeners = new ArrayList<>(0);
    private String reason;

    /** Adds a listener for {@code session}; runs it now when the session has closed already. */
    public void add(Session session, BiConsumer<Session, String> listener) {
        String closedWith;
        synchronized (this) {
            closedWith = reason;
            if (closedWith == null) {
                listeners.add(listener);
                return;
            }
        }
        listener.accept(session, closedWith);
    }

    /** Runs the listeners with {@code reason}, the first time only; a listener that throws is logged. */
    public void fire(Session session, String reason) {
        List<BiConsumer<Session, String>> toRun;
        synchronized (this) {
            if (this.reason != null) {
                return;
            }
            this.reason = reason;
            toRun = new ArrayList<>(listeners);
            listeners.clear();
        }
        for (BiConsumer<Session, String> listener : toRun) {
            try {
                listener.accept(session, reason);
            } catch (RuntimeException e) {
                log.warn("close listener of {} failed", session, e);
            }
        }
    }

    /** Whether {@link #fire} has run. */
    public synchronized boolean fired() {
        return reason != null;
    }
}
