package io.switchboard.resource.probe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probe meters, tagged by module and outcome only: modules come from the operator's config and are few; endpoint ids
 * would make one series per endpoint, so they go to the log and the API instead.
 * <ul>
 *   <li>{@code switchboard.resource.probes{module, result=success|failure}}: probes done</li>
 *   <li>{@code switchboard.resource.transitions{module, state=up|down}}: state changes</li>
 *   <li>{@code switchboard.resource.endpoints{module, state=pending|up|down}}: endpoints in each state</li>
 * </ul>
 */
final class ProbeMetrics {
    private final MeterRegistry meters;
    private final Map<String, Module> modules = new ConcurrentHashMap<>();

    ProbeMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void probed(String module, boolean answered) {
        Module counters = module(module);
        (answered ? counters.successes : counters.failures).increment();
    }

    /** An endpoint entered {@code to} (from {@code from}, or {@code null} when it is new). */
    void moved(String module, ProbeState from, ProbeState to) {
        Module counters = module(module);
        if (from != null) {
            counters.states.get(from).decrementAndGet();
            if (to != null) {
                counters.transitions.get(to).increment();
            }
        }
        if (to != null) {
            counters.states.get(to).incrementAndGet();
        }
    }

    private Module module(String name) {
        return modules.computeIfAbsent(name, Module::new);
    }

    private final class Module {
        final Counter successes;
        final Counter failures;
        final Map<ProbeState, Counter> transitions = new EnumMap<>(ProbeState.class);
        final Map<ProbeState, AtomicInteger> states = new EnumMap<>(ProbeState.class);

        Module(String module) {
            successes = probes(module, "success");
            failures = probes(module, "failure");
            for (ProbeState state : ProbeState.values()) {
                transitions.put(state, Counter.builder("switchboard.resource.transitions")
                        .description("Endpoint state changes").tag("module", module).tag("state", state.label())
                        .register(meters));
                AtomicInteger count = new AtomicInteger();
                states.put(state, count);
                Gauge.builder("switchboard.resource.endpoints", count, AtomicInteger::get)
                        .description("Probed endpoints in each state").tag("module", module)
                        .tag("state", state.label()).register(meters);
            }
        }

        private Counter probes(String module, String result) {
            return Counter.builder("switchboard.resource.probes").description("TCP probes done")
                    .tag("module", module).tag("result", result).register(meters);
        }
    }
}
