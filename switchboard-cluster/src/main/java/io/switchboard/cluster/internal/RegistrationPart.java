package io.switchboard.cluster.internal;

import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.NodeState;
import io.switchboard.registry.Registration;
import io.switchboard.registry.Registry;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;

import java.util.Objects;
import java.util.function.Function;

/**
 * A process's entry in the registry, as a part of its runtime: registered once the parts before it are serving
 * (their ports are in the entry), marked draining when a drain begins, removed on a shutdown signal (unless told to
 * stay, draining, until close) and on close.
 */
public final class RegistrationPart implements ProcessPart {
    private final Registry registry;
    private final Function<ProcessRuntime, NodeInfo> info;
    private final boolean leaveOnSignal;
    private volatile Registration registration;

    /** Registers what {@code info} makes of the started runtime; leaves the registry on a shutdown signal. */
    public RegistrationPart(Registry registry, Function<ProcessRuntime, NodeInfo> info) {
        this(registry, info, true);
    }

    /**
     * @param leaveOnSignal whether a shutdown signal removes the entry at once; false keeps it, draining, until close:
     *                      a gate, whose nodes take its removal as the end of its sessions and cut their links, which
     *                      would fail every request of the clients still draining
     */
    public RegistrationPart(Registry registry, Function<ProcessRuntime, NodeInfo> info, boolean leaveOnSignal) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.info = Objects.requireNonNull(info, "info");
        this.leaveOnSignal = leaveOnSignal;
    }

    @Override
    public void start(ProcessRuntime runtime) {
        registration = registry.register(info.apply(runtime)).join();
    }

    /** The registration, or {@code null} before it is made. */
    public Registration registration() {
        return registration;
    }

    /** The node id the registry assigned; {@value NodeInfo#MAX_NODE_ID}, which it never assigns, before that. */
    public int nodeId() {
        Registration r = registration;
        return r == null ? NodeInfo.MAX_NODE_ID : r.nodeId();
    }

    @Override
    public void stopTakingNew() {
        Registration r = registration;
        if (r != null && r.isRegistered()) {
            r.update(node -> node.withState(NodeState.DRAINING));
        }
    }

    @Override
    public void shuttingDown() {
        Registration r = registration;
        if (r == null) {
            return;
        }
        if (leaveOnSignal) {
            r.deregister().join();
        } else if (r.isRegistered()) {
            r.update(node -> node.withState(NodeState.DRAINING));
        }
    }

    @Override
    public void close() {
        Registration r = registration;
        if (r != null) {
            r.deregister().exceptionally(e -> null).join();
        }
    }
}
