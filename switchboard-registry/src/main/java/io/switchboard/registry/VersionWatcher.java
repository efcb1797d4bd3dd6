package io.switchboard.registry;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Tells a node when a newer version of its own service is online (seed 001: the old version then stops taking new
 * users, drains and exits). Fires once, for the first {@linkplain NodeState#SERVING serving} node of the same
 * {@linkplain NodeInfo#type() type} with a higher {@linkplain NodeInfo#version() version}, whether it was already
 * there when watching started or arrived later; then it stops watching.
 *
 * <pre>{@code
 * VersionWatcher watcher = VersionWatcher.start(registry, registration.info(),
 *         newer -> lifecycle.drain("version " + newer.version() + " is online"));
 * }</pre>
 *
 * <p>A newer node that is itself draining does not count: it is on its way out, not taking over.
 */
public final class VersionWatcher implements AutoCloseable {

    private final NodeInfo self;
    private final Consumer<NodeInfo> onNewerVersion;
    private final AtomicBoolean fired = new AtomicBoolean();
    // Volatile, not final: the first event can arrive on another thread while the constructor is still running.
    private volatile Subscription subscription;

    private VersionWatcher(Registry registry, NodeInfo self, Executor executor, Consumer<NodeInfo> onNewerVersion) {
        this.self = Objects.requireNonNull(self, "self");
        this.onNewerVersion = Objects.requireNonNull(onNewerVersion, "onNewerVersion");
        subscription = executor == null ? registry.watch(this::onEvent) : registry.watch(this::onEvent, executor);
        if (fired.get()) {
            // Fired before the subscription was stored, so onEvent could not close it.
            subscription.close();
        }
    }

    /**
     * Starts watching {@code registry} for a newer version of {@code self}'s service; {@code onNewerVersion} gets the
     * newer node, once, on the registry's event thread.
     */
    public static VersionWatcher start(Registry registry, NodeInfo self, Consumer<NodeInfo> onNewerVersion) {
        return new VersionWatcher(registry, self, null, onNewerVersion);
    }

    /** Like {@link #start(Registry, NodeInfo, Consumer)}, with the callback run on {@code executor}. */
    public static VersionWatcher start(Registry registry, NodeInfo self, Executor executor,
                                       Consumer<NodeInfo> onNewerVersion) {
        return new VersionWatcher(registry, self, Objects.requireNonNull(executor, "executor"), onNewerVersion);
    }

    /** Whether a newer version has been seen. */
    public boolean fired() {
        return fired.get();
    }

    /** Whether {@code node} is a newer version of {@code self}'s service that is taking over. */
    public static boolean isNewerVersion(NodeInfo self, NodeInfo node) {
        return node.type().equals(self.type())
                && node.version() > self.version()
                && node.isServing()
                && !node.id().equals(self.id());
    }

    private void onEvent(RegistryEvent event) {
        if (event.type() == RegistryEvent.Type.REMOVED || !isNewerVersion(self, event.node())) {
            return;
        }
        if (fired.compareAndSet(false, true)) {
            Subscription current = subscription;
            if (current != null) {
                current.close();
            }
            onNewerVersion.accept(event.node());
        }
    }

    /** Stops watching; the callback will not fire after this returns unless it is already running. */
    @Override
    public void close() {
        subscription.close();
    }
}
