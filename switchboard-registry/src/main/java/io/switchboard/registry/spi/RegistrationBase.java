package io.switchboard.registry.spi;

import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registration;
import io.switchboard.registry.RegistrationListener;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * What every {@link Registration} shares, whatever its store: the record, the registered flag, the listeners and
 * whether the registration is lost. A registry subclasses it with the steps that touch its store, {@link #publish}
 * and {@link #remove}, and reports losses with {@link #markLost} and {@link #markRestored}.
 *
 * <p>Two locks. {@link #update} and {@link #deregister} check the flag, change it or the record and call the store
 * step under the <em>registration lock</em>: so updates reach the store in the order they are made, and none after
 * the removal. It is the registration's own monitor unless the registry names another, such as itself when its own
 * structures change along with the record. Losses, restorations and {@link #addListener} hold a separate <em>loss
 * lock</em> while they change or read the lost flag and call listeners, so every listener hears each
 * {@code onLost} once, whenever it was added; a listener may update its registration from there, so the loss lock
 * may be taken before the registration lock, never after.
 */
public abstract class RegistrationBase implements Registration {

    private final Object lock;
    private final Object lossLock = new Object();
    private final RegistrationListeners listeners = new RegistrationListeners();
    private volatile NodeInfo info;
    private volatile boolean registered = true;
    private volatile boolean lost;

    /** A registration whose lock is its own monitor. */
    protected RegistrationBase(NodeInfo info) {
        this.info = Objects.requireNonNull(info, "info");
        this.lock = this;
    }

    /** A registration whose lock is {@code lock}, which its registry holds too while changing what the steps touch. */
    protected RegistrationBase(NodeInfo info, Object lock) {
        this.info = Objects.requireNonNull(info, "info");
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * Publishes the record {@link #update} has just set. Called under the registration lock, in the order of the
     * updates; it starts the write and returns without waiting for the store.
     */
    protected abstract CompletableFuture<NodeInfo> publish(NodeInfo info);

    /**
     * Removes the node from the store and frees its node id. Called once, by the first {@link #deregister()}, under
     * the registration lock; it starts the removal and returns without waiting for the store.
     */
    protected abstract CompletableFuture<Void> remove();

    /** Whether the registry is closed: an update after the end then fails with REGISTRY_CLOSED, not NOT_REGISTERED. */
    protected abstract boolean registryClosed();

    @Override
    public final int nodeId() {
        return info.nodeId();
    }

    @Override
    public final NodeInfo info() {
        return info;
    }

    @Override
    public final boolean isRegistered() {
        return registered;
    }

    /** Whether the registry reported this registration lost and has not restored it since. */
    public final boolean isLost() {
        return lost;
    }

    @Override
    public final CompletableFuture<NodeInfo> update(UnaryOperator<NodeInfo> change) {
        synchronized (lock) {
            if (!registered) {
                return registryClosed()
                        ? failed(RegistryErrors.REGISTRY_CLOSED, "the registry is closed")
                        : failed(RegistryErrors.NOT_REGISTERED, info.id() + " was deregistered");
            }
            info = NodeInfoChanges.apply(info, change);
            return publish(info);
        }
    }

    @Override
    public final CompletableFuture<Void> deregister() {
        synchronized (lock) {
            if (!registered) {
                return CompletableFuture.completedFuture(null);
            }
            registered = false;
            return remove();
        }
    }

    @Override
    public final void addListener(RegistrationListener listener) {
        synchronized (lossLock) {
            listeners.add(listener);
            if (lost) {
                // It missed the onLost the others heard: the node must not mint ids until onRestored.
                RegistrationListeners.call(listener, late -> late.onLost(this));
            }
        }
    }

    @Override
    public final void removeListener(RegistrationListener listener) {
        listeners.remove(listener);
    }

    /**
     * Changes the record outside {@link #update}'s rules, under the registration lock: for the registry, e.g. to
     * set the node id it assigned. Returns the new record.
     */
    protected final NodeInfo changeInfo(UnaryOperator<NodeInfo> change) {
        synchronized (lock) {
            info = Objects.requireNonNull(change.apply(info), "the change returned null");
            return info;
        }
    }

    /** For a registry closing: ends the registration without {@link #remove()}, as the registry removes all itself. */
    public final void markDeregistered() {
        registered = false;
    }

    /** For the registry: the node is gone from the store; tells the listeners once, unless it was deregistered. */
    public final void markLost() {
        synchronized (lossLock) {
            if (!lost && registered) {
                lost = true;
                listeners.fire(listener -> listener.onLost(this));
            }
        }
    }

    /**
     * For the registry: the node is in the store again, under {@link #nodeId()}. Tells the listeners of a node id
     * other than {@code previousNodeId}, then, if the registration was lost, that it is restored.
     */
    public final void markRestored(int previousNodeId) {
        markRestored(previousNodeId, () -> true);
    }

    /**
     * As {@link #markRestored(int)}, but the registration stays lost unless {@code stillHeld} says the store still
     * holds the node: it is asked under the loss lock, so a loss reported after the answer (its {@link #markLost}
     * waits for that lock) is told after the restoration, and one reported before it keeps the registration lost.
     */
    public final void markRestored(int previousNodeId, BooleanSupplier stillHeld) {
        int nodeId = nodeId();
        if (nodeId != previousNodeId) {
            listeners.fire(listener -> listener.onNodeIdChanged(this, previousNodeId, nodeId));
        }
        synchronized (lossLock) {
            if (lost && stillHeld.getAsBoolean()) {
                lost = false;
                listeners.fire(listener -> listener.onRestored(this));
            }
        }
    }

    private static <T> CompletableFuture<T> failed(ErrorCode code, String message) {
        return CompletableFuture.failedFuture(new SwitchboardException(code, message));
    }

    @Override
    public String toString() {
        NodeInfo current = info;
        return getClass().getSimpleName() + "(" + current.id() + " #" + current.nodeId() + (lost ? ", lost" : "")
                + ")";
    }
}
