package io.switchboard.globaldb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The world: region → machine inner IP → the processes that machine runs, in the order given. Shaped as the world
 * file and globaldb's {@code world} hash are. Validation (names, duplicates, one region per IP) is
 * {@link WorldFile}'s: a {@code World} built in code is checked when a store replaces its world with it.
 */
public record World(Map<String, Map<String, List<ProcessSpec>>> regions) {

    public World {
        Map<String, Map<String, List<ProcessSpec>>> copy = new LinkedHashMap<>();
        regions.forEach((region, machines) -> {
            Map<String, List<ProcessSpec>> m = new LinkedHashMap<>();
            machines.forEach((ip, specs) -> m.put(ip, List.copyOf(specs)));
            copy.put(region, Collections.unmodifiableMap(m));
        });
        regions = Collections.unmodifiableMap(copy);
    }

    public static World empty() {
        return new World(Map.of());
    }

    /** One machine of the world. */
    public record Machine(String region, String ip, List<ProcessSpec> processes) {

        public ProcessKey key(ProcessSpec spec) {
            return new ProcessKey(region, ip, spec.name());
        }

        public Optional<ProcessSpec> process(String name) {
            return processes.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    /** Every machine, region by region. */
    public List<Machine> machines() {
        List<Machine> all = new ArrayList<>();
        regions.forEach((region, machines) -> machines.forEach((ip, specs) -> all.add(new Machine(region, ip, specs))));
        return all;
    }

    /** The machine with this inner IP, if the world has it. */
    public Optional<Machine> machine(String ip) {
        return machines().stream().filter(m -> m.ip().equals(ip)).findFirst();
    }
}
