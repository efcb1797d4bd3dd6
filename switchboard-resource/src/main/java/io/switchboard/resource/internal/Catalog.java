package io.switchboard.resource.internal;

import io.switchboard.resource.config.ConfigProblem;
import io.switchboard.resource.config.Endpoint;
import io.switchboard.resource.config.ModuleConfig;
import io.switchboard.resource.config.ResourceConfig;
import io.switchboard.resource.probe.ProbeState;
import io.switchboard.resource.probe.Prober;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the manager serves: the config in force, its generation, the problems of the last reload, and the change
 * index of Consul's blocking queries. The index grows by one on every change (a reload, a refused reload, an endpoint
 * changing state); each module remembers the index of its own last change, so a watch on one module wakes only for
 * that module (and its dependencies). Confined to the manager's event loop.
 */
public final class Catalog {
    private final Prober prober;
    private final Map<String, Long> moduleIndex = new HashMap<>();
    private ResourceConfig config = new ResourceConfig(List.of());
    private List<ConfigProblem> warnings = List.of();
    private List<ConfigProblem> lastErrors = List.of();
    private long generation;
    private long index;

    public Catalog(Prober prober) {
        this.prober = Objects.requireNonNull(prober, "prober");
    }

    /** Puts {@code next} in force: a new generation; modules whose config changed get the new index. */
    public void apply(ResourceConfig next, List<ConfigProblem> nextWarnings) {
        index++;
        generation++;
        for (ModuleConfig module : next.modules()) {
            if (!module.equals(config.module(module.name()).orElse(null))) {
                moduleIndex.put(module.name(), index);
            }
        }
        moduleIndex.keySet().removeIf(name -> next.module(name).isEmpty());
        config = next;
        warnings = List.copyOf(nextWarnings);
        lastErrors = List.of();
        prober.update(next.endpoints());
    }

    /** A reload was refused: the config in force stays, the errors show in the status. */
    public void rejected(List<ConfigProblem> errors) {
        index++;
        lastErrors = List.copyOf(errors);
    }

    /** An endpoint of {@code module} changed state. */
    public void stateChanged(String module) {
        index++;
        if (config.module(module).isPresent()) {
            moduleIndex.put(module, index);
        }
    }

    public long index() {
        return index;
    }

    /** The index of the last change to {@code module}'s config or endpoints; the global one for an unknown module. */
    public long moduleIndex(String module) {
        return moduleIndex.getOrDefault(module, index);
    }

    /** The index of the last change to {@code module} or any module it depends on. */
    public long dependenciesIndex(String module) {
        long latest = moduleIndex(module);
        for (String dependency : config.module(module).map(ModuleConfig::dependencies).orElse(List.of())) {
            latest = Math.max(latest, moduleIndex(dependency));
        }
        return latest;
    }

    public ResourceConfig config() {
        return config;
    }

    public ProbeState state(Endpoint endpoint) {
        return prober.state(endpoint);
    }

    public boolean live(Endpoint endpoint) {
        return state(endpoint) == ProbeState.UP;
    }

    public long generation() {
        return generation;
    }

    public List<ConfigProblem> warnings() {
        return warnings;
    }

    /** The errors of the last reload when it was refused; empty when the last one was good. */
    public List<ConfigProblem> lastErrors() {
        return lastErrors;
    }
}
