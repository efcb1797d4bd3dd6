package io.switchboard.resource.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One module as its three files describe it: what it depends on, its endpoints (in file order: IDC, set,
 * {@code heartbeat_list}, then {@code service_list}), and its key/value config (in file order).
 */
public record ModuleConfig(String name, List<String> dependencies, List<Endpoint> endpoints, Map<String, String> kv) {

    public ModuleConfig {
        Objects.requireNonNull(name, "name");
        dependencies = List.copyOf(dependencies);
        endpoints = List.copyOf(endpoints);
        kv = Collections.unmodifiableMap(new LinkedHashMap<>(kv));
    }
}
