package io.switchboard.resource;

import io.switchboard.registry.Registry;
import io.switchboard.registry.RegistryProvider;
import io.switchboard.registry.RegistryUri;
import io.switchboard.runtime.ProcessConfig;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Serves {@code resource://host:port[?waitSeconds=30]}: a {@link ResourceRegistry} on the resource manager whose
 * {@code /v1} API listens there. The write token comes from {@code SWITCHBOARD_ADMIN_TOKEN}, never the URI (a URI
 * shows in ps and in logs).
 */
public final class ResourceRegistryProvider implements RegistryProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("resource");
    }

    @Override
    public Registry open(RegistryUri uri) {
        if (uri.authority().isEmpty() || !(uri.path().isEmpty() || uri.path().equals("/"))) {
            throw new IllegalArgumentException("a resource registry URI is resource://host:port of the resource "
                    + "manager's /v1 API, e.g. resource://127.0.0.1:12201; got " + uri);
        }
        ResourceRegistry.Builder builder = ResourceRegistry.builder(URI.create("http://" + uri.authority()))
                .token(System.getenv(ProcessConfig.ADMIN_TOKEN_ENV));
        int waitSeconds = uri.intParameter("waitSeconds", 0);
        if (waitSeconds > 0) {
            builder.wait(Duration.ofSeconds(waitSeconds));
        }
        return builder.open();
    }
}
