package io.switchboard.registry.zookeeper;

import io.switchboard.registry.Registry;
import io.switchboard.registry.RegistryProvider;
import io.switchboard.registry.RegistryUri;

import java.time.Duration;
import java.util.Set;

/**
 * Serves {@code zk://host:port[,host:port...][/root][?sessionTimeoutMs=..&connectionTimeoutMs=..]} (also
 * {@code zookeeper://}); with no path, or {@code /}, the root is {@value ZooKeeperRegistry#DEFAULT_ROOT}. Found by
 * {@link io.switchboard.registry.Registries} through the service loader. Digest credentials come from
 * {@value #DIGEST_ENV}.
 */
public final class ZooKeeperRegistryProvider implements RegistryProvider {
    /** {@code user:password} of ZooKeeper digest authentication; see {@link ZooKeeperRegistry.Builder#digest}. */
    public static final String DIGEST_ENV = "SWITCHBOARD_ZK_DIGEST";

    @Override
    public Set<String> schemes() {
        return Set.of("zk", "zookeeper");
    }

    @Override
    public Registry open(RegistryUri uri) {
        if (uri.authority().isEmpty()) {
            throw new IllegalArgumentException("a ZooKeeper registry URI needs host:port, e.g. "
                    + "zk://127.0.0.1:2181/switchboard; got " + uri);
        }
        ZooKeeperRegistry.Builder builder = ZooKeeperRegistry.builder(uri.authority());
        if (!uri.path().isEmpty() && !uri.path().equals("/")) {
            builder.root(uri.path());
        }
        int sessionTimeoutMs = uri.intParameter("sessionTimeoutMs", 0);
        if (sessionTimeoutMs > 0) {
            builder.sessionTimeout(Duration.ofMillis(sessionTimeoutMs));
        }
        int connectionTimeoutMs = uri.intParameter("connectionTimeoutMs", 0);
        if (connectionTimeoutMs > 0) {
            builder.connectionTimeout(Duration.ofMillis(connectionTimeoutMs));
        }
        // Credentials from the environment, never the URI: a URI shows in ps and in logs.
        String digest = System.getenv(DIGEST_ENV);
        if (digest != null && !digest.isEmpty()) {
            builder.digest(digest);
        }
        return builder.build();
    }
}
