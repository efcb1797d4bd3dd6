package io.switchboard.resource.config;

import java.util.List;
import java.util.Optional;

/** A whole conf directory that passed the checks: its modules in {@code module.conf}'s order. Immutable. */
public record ResourceConfig(List<ModuleConfig> modules) {

    public ResourceConfig {
        modules = List.copyOf(modules);
    }

    public Optional<ModuleConfig> module(String name) {
        return modules.stream().filter(module -> module.name().equals(name)).findFirst();
    }

    /** Every endpoint of every module. */
    public List<Endpoint> endpoints() {
        return modules.stream().flatMap(module -> module.endpoints().stream()).toList();
    }
}
