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
 * (their ports are in the entry), marked draining when a drain begins, removed on a shutdown signal and on close.
 */
public final class RegistrationPart implements ProcessPart {
    private final Registry registry;
    private final Function<ProcessRuntime, NodeInfo> info;
    private volatile Registration registration;

    /** Registers what {@code info} makes of the started runtime. */
    public RegistrationPart(Registry registry, Function<ProcessRuntime, NodeInfo> info) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.info = Objects.requireNonNull(info, "info");
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
        if (r != null) {
            r.deregister().join();
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
