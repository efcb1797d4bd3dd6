package io.switchboard.registry;

import java.util.Set;

/**
 * Makes registries for some URI schemes; found by {@link Registries} through {@link java.util.ServiceLoader}, so a
 * registry module plugs in by being on the classpath. Implementations need a public no-argument constructor and a
 * line in {@code META-INF/services/io.switchboard.registry.RegistryProvider}.
 */
public interface RegistryProvider {

    /** The URI schemes served, lower case, e.g. {@code zk}. */
    Set<String> schemes();

    /**
     * Opens a registry ready to use (connected, if it connects to something).
     *
     * @throws IllegalArgumentException when the URI is malformed for this scheme
     * @throws io.switchboard.common.error.SwitchboardException with {@link RegistryErrors#REGISTRY_UNAVAILABLE}
     *         when the store cannot be reached
     */
    Registry open(RegistryUri uri);
}
