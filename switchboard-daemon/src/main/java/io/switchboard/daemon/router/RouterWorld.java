package io.switchboard.daemon.router;

import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.World;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The world as the router last read it from globaldb. Reads run on a thread of their own, never on the event loop
 * (a store may be slow); they happen periodically and on demand, and a read asked for while one runs joins it. A
 * read that fails keeps the last world.
 */
final class RouterWorld implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouterWorld.class);

    private final GlobalDb globalDb;
    private final ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "switchboard-router-world");
        thread.setDaemon(true);
        return thread;
    });
    private volatile World current = World.empty();
    private CompletableFuture<World> reading;

    RouterWorld(GlobalDb globalDb) {
        this.globalDb = globalDb;
    }

    World current() {
        return current;
    }

    /** Reads the world again; completes with it, or exceptionally when globaldb could not answer. */
    synchronized CompletableFuture<World> reload() {
        if (reading == null || reading.isDone()) {
            reading = CompletableFuture.supplyAsync(() -> {
                World world = globalDb.world();
                current = world;
                return world;
            }, reader);
        }
        return reading;
    }

    void refreshEvery(Duration interval) {
        long millis = interval.toMillis();
        reader.scheduleWithFixedDelay(() -> reload().exceptionally(failure -> {
            log.warn("router: cannot read the world from globaldb, keeping the last one: {}", failure.toString());
            return null;
        }), millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        reader.shutdownNow();
    }
}
