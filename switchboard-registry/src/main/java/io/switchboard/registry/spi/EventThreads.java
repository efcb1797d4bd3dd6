package io.switchboard.registry.spi;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The thread a registry delivers watch events on when the watcher names no executor. */
public final class EventThreads {

    private EventThreads() {
    }

    /** One daemon thread: a forgotten registry must not keep the JVM alive. */
    public static ExecutorService newEventExecutor(String name) {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
