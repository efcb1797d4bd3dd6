package io.switchboard.registry;

import io.switchboard.api.errors.RegistryErrors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryRegistryTest extends RegistryContractTest {

    private MemoryRegistry shared;

    @Override
    protected Registry newMember() {
        // One JVM, one cluster: every member is the same registry.
        if (shared == null) {
            shared = closeLater(new MemoryRegistry());
        }
        return shared;
    }

    @Override
    protected Registry newMember(int maxNodes) {
        return closeLater(new MemoryRegistry(maxNodes));
    }

    @Test
    void closedRegistryRefusesAndForgets() throws Exception {
        MemoryRegistry registry = new MemoryRegistry();
        Registration registration = get(registry.register(node("chat-1", "chat", 1)));
        EventLog log = new EventLog();
        registry.watch(log, Runnable::run);

        registry.close();
        registry.close(); // idempotent

        assertThat(registration.isRegistered()).isFalse();
        assertThat(registry.nodes()).isEmpty();
        assertThat(failure(registry.register(node("chat-2", "chat", 1))).errorCode())
                .isEqualTo(RegistryErrors.REGISTRY_CLOSED);
        assertThat(failure(registration.update(info -> info.withState(NodeState.DRAINING))).errorCode())
                .isEqualTo(RegistryErrors.REGISTRY_CLOSED);
        assertThat(log.typesOf("chat-2")).isEmpty();
    }

    @Test
    void registriesOpensMemoryThroughTheServiceLoader() throws Exception {
        try (Registry registry = Registries.open("memory")) {
            assertThat(registry).isInstanceOf(MemoryRegistry.class);
            assertThat(get(registry.register(node("chat-1", "chat", 1))).nodeId()).isZero();
        }
    }
}
