package io.switchboard.daemon.router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.daemon.command.CommandResult;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The router's meters, tagged only with fixed sets (refusal reasons, command outcomes) so no peer can grow them:
 * {@code switchboard_router_daemons}, {@code switchboard_router_refusals_total{reason}},
 * {@code switchboard_router_relays_total{outcome}}, {@code switchboard_router_unsent_total}.
 */
final class RouterMetrics {
    private final Map<RouterRefusal, Counter> refusals = new EnumMap<>(RouterRefusal.class);
    private final Map<CommandResult.Outcome, Counter> relays = new EnumMap<>(CommandResult.Outcome.class);
    private final Counter unsent;

    RouterMetrics(MeterRegistry meters, Supplier<Number> connectedDaemons) {
        Gauge.builder("switchboard.router.daemons", connectedDaemons)
                .description("Daemons connected to the router and authenticated").register(meters);
        for (RouterRefusal reason : RouterRefusal.values()) {
            refusals.put(reason, Counter.builder("switchboard.router.refusals").tag("reason", reason.tag())
                    .description("Daemon connections the router refused or dropped, by reason").register(meters));
        }
        for (CommandResult.Outcome outcome : CommandResult.Outcome.values()) {
            relays.put(outcome, Counter.builder("switchboard.router.relays")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("Commands relayed between daemons, by the outcome answered").register(meters));
        }
        unsent = Counter.builder("switchboard.router.unsent")
                .description("Answers and relays not written to a daemon because it was not reading").register(meters);
    }

    void refused(RouterRefusal reason) {
        refusals.get(reason).increment();
    }

    void relayed(CommandResult.Outcome outcome) {
        relays.get(outcome).increment();
    }

    void unsent() {
        unsent.increment();
    }
}
