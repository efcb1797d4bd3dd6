package io.switchboard.cluster;

import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.Registry;
import org.junit.jupiter.api.AfterEach;

/** {@link ClusterChatContract} on one in-memory registry. */
class MemoryClusterChatTest extends ClusterChatContract {
    private final MemoryRegistry shared = new MemoryRegistry();

    @Override
    Registry registry() {
        return shared;
    }

    @Override
    boolean registriesPerProcess() {
        return false;
    }

    @AfterEach
    void closeRegistry() {
        shared.close();
    }
}
