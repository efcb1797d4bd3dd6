package io.switchboard.daemon.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link ReconnectScheduler} the test drives: it records each dial with its delay and runs them when told. */
final class ManualReconnects implements ReconnectScheduler {
    private final List<Runnable> due = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();

    @Override
    public synchronized void schedule(Runnable dial, Duration delay) {
        due.add(dial);
        delays.add(delay);
    }

    /** The delays asked for so far, in order. */
    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }

    synchronized int waiting() {
        return due.size();
    }

    /** Runs the dials waiting now, as if their delays had passed. */
    void runWaiting() {
        List<Runnable> now;
        synchronized (this) {
            now = List.copyOf(due);
            due.clear();
        }
        now.forEach(Runnable::run);
    }
}
