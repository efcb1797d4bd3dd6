package io.switchboard.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A process's link to the resource manager as a part of its runtime: follows the dependencies' live endpoints from
 * the start to the close, logs each change, shows them in {@code /health} and counts them in
 * {@code switchboard_resource_dependency_endpoints{dependency}}. The kv config is read before the process is built
 * ({@link #client()}{@code .kv()}), since it may change how it is built.
 */
public final class ResourcePart implements ProcessPart {
    private static final Logger log = LoggerFactory.getLogger(ResourcePart.class);
    private final ResourceClient client;
    private final String server;
    private final String module;
    private volatile MultiGauge endpoints;

    /** Builds the client from {@code builder}, whose change listener this part takes over. */
    public ResourcePart(ResourceClient.Builder builder) {
        this.server = builder.server().toString();
        this.module = builder.module();
        this.client = builder.onChange(this::changed).build();
    }

    public ResourceClient client() {
        return client;
    }

    @Override
    public void start(ProcessRuntime runtime) {
        endpoints = MultiGauge.builder("switchboard.resource.dependency.endpoints")
                .description("Live endpoints of each dependency, as the resource manager last answered")
                .register(runtime.meters());
        changed(client.dependencies());
        client.start();
    }

    private void changed(Map<String, List<ResourceEndpoint>> dependencies) {
        MultiGauge gauge = endpoints;
        if (gauge != null) {
            gauge.register(dependencies.entrySet().stream().map(entry -> MultiGauge.Row.of(
                    Tags.of("dependency", entry.getKey()), entry.getValue().size())).toList(), true);
        }
        dependencies.forEach((dependency, live) -> log.info("resource manager {}: dependency {} of {} has {} live "
                + "endpoint(s) {}", server, dependency, module, live.size(),
                live.stream().map(ResourceEndpoint::id).toList()));
    }

    @Override
    public void health(ObjectNode health) {
        ObjectNode resource = health.putObject("resource");
        resource.put("server", server).put("module", module).put("index", client.index())
                .put("failures", client.failures());
        ObjectNode dependencies = resource.putObject("dependencies");
        client.dependencies().forEach((dependency, live) -> {
            var ids = dependencies.putArray(dependency);
            live.forEach(endpoint -> ids.add(endpoint.id()));
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
