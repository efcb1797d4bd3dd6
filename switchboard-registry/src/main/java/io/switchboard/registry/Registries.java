package io.switchboard.registry;

import io.switchboard.api.errors.RegistryErrors;

import io.switchboard.common.error.SwitchboardException;

import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Opens a registry from its URI. {@code memory} is built in and gives a new, empty {@link MemoryRegistry} on each
 * call; {@code zk://host:port[,host:port...]/root} needs {@code switchboard-registry-zookeeper} on the classpath.
 */
public final class Registries {

    private Registries() {
    }

    /**
     * Opens the registry at {@code uri}.
     *
     * @throws IllegalArgumentException when {@code uri} is not a valid registry URI
     * @throws SwitchboardException with {@link RegistryErrors#UNSUPPORTED_REGISTRY} when no provider on the classpath
     *         serves its scheme, or {@link RegistryErrors#REGISTRY_UNAVAILABLE} when the registry cannot be reached
     */
    public static Registry open(String uri) {
        return open(RegistryUri.parse(uri));
    }

    public static Registry open(RegistryUri uri) {
        TreeSet<String> known = new TreeSet<>();
        for (RegistryProvider provider : providers()) {
            if (provider.schemes().contains(uri.scheme())) {
                return provider.open(uri);
            }
            known.addAll(provider.schemes());
        }
        throw new SwitchboardException(RegistryErrors.UNSUPPORTED_REGISTRY,
                "no registry for scheme '" + uri.scheme() + "' in " + uri + " (available: " + String.join(", ", known)
                        + "; ZooKeeper needs switchboard-registry-zookeeper on the classpath)");
    }

    private static ServiceLoader<RegistryProvider> providers() {
        // The context loader, as ServiceLoader's default, so containers with their own loaders work; some threads
        // have none.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return ServiceLoader.load(RegistryProvider.class, loader != null ? loader : Registries.class.getClassLoader());
    }
}
