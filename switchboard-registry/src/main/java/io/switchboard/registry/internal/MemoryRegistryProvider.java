package io.switchboard.registry.internal;

import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.Registry;
import io.switchboard.registry.RegistryProvider;
import io.switchboard.registry.RegistryUri;

import java.util.Set;

/** Serves {@code memory}: a new {@link MemoryRegistry}. */
public final class MemoryRegistryProvider implements RegistryProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public Registry open(RegistryUri uri) {
        if (!uri.authority().isEmpty() || !uri.path().isEmpty() || !uri.parameters().isEmpty()) {
            throw new IllegalArgumentException("the memory registry takes no address or options: " + uri);
        }
        return new MemoryRegistry();
    }
}
