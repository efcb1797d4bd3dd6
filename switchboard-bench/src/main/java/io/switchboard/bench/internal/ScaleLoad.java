package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;
import io.switchboard.bench.Scenario;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scale against one target: after an unmeasured settle, every point of every {@link ScaleAxis}, each flat out and
 * then paced at half the rate flat out reached (open loop, so the latency there is the server's, not a queue's). One
 * result per point, its figures prefixed {@code saturated_} and {@code half_}; {@link ScaleCurves} draws them.
 */
final class ScaleLoad {
    /** The body of the connections and room-size axes, as in bench echo and broadcast. */
    static final int BASE_BODY = 64;
    /** A paced run that reaches less than this share of its offered rate fell behind. */
    private static final double FELL_BEHIND = 0.9;
    private static final BenchOptions ECHO_DEFAULTS = BenchOptions.builder().build();

    private final BenchOptions options;

    ScaleLoad(BenchOptions options) {
        this.options = options;
    }

    List<BenchResult> run(RunningTarget target, PrintStream out) throws Exception {
        if (!options.settle().isZero()) {
            out.println("-- settling " + options.settle().toSeconds() + " s (not measured)");
            new EchoLoad(point(Scenario.ECHO).warmup(java.time.Duration.ZERO).duration(options.settle()).build(), 0,
                    "settle").run(target, out);
        }
        List<BenchResult> results = new ArrayList<>();
        for (ScaleAxis axis : ScaleAxis.values()) {
            for (int value : axis.points(options)) {
                out.println("-- " + axis.key() + " " + value);
                results.add(measure(axis, value, target, out));
            }
        }
        return results;
    }

    private BenchResult measure(ScaleAxis axis, int value, RunningTarget target, PrintStream out) throws Exception {
        BenchResult.Builder point = BenchResult.builder(axis.key() + " " + value, target.describe())
                .figure("axis", axis.key()).figure("point", (long) value);
        List<BenchResult> runs;
        switch (axis) {
            case CONNECTIONS -> {
                int perConnection = Math.max(1, options.totalInFlight() / value);
                point.figure("connections", (long) value).figure("in_flight_per_connection", (long) perConnection)
                        .figure("body_bytes", (long) BASE_BODY);
                String fdProblem = SourceAddresses.checkFileLimit(value, target.sharesProcess());
                if (fdProblem != null) {
                    return point.problem(fdProblem).build();
                }
                runs = Loads.echoThenHalf(point(Scenario.ECHO).connections(value).inFlight(perConnection)
                        .bodySize(BASE_BODY).build(), "echo", target, out);
            }
            case MESSAGE_SIZE -> {
                point.figure("connections", (long) ECHO_DEFAULTS.connections())
                        .figure("in_flight_per_connection", (long) ECHO_DEFAULTS.inFlight())
                        .figure("body_bytes", (long) value);
                runs = Loads.echoThenHalf(point(Scenario.ECHO).connections(ECHO_DEFAULTS.connections())
                        .inFlight(ECHO_DEFAULTS.inFlight()).bodySize(value).build(), "echo", target, out);
            }
            case ROOM_SIZE -> {
                point.figure("members", (long) value).figure("in_flight_per_room", (long) options.inFlight())
                        .figure("body_bytes", (long) BASE_BODY);
                runs = new BroadcastLoad(point(Scenario.BROADCAST).rooms(1).members(value)
                        .inFlight(options.inFlight()).bodySize(BASE_BODY).build())
                        .run(target, out, flatOut -> flatOut.figure("deliveries_per_s") / 2 / value);
            }
            default -> throw new IllegalStateException(axis.toString());
        }
        BenchResult flatOut = runs.get(0);
        point.figure("saturated_per_s", throughput(flatOut)).figure("saturated_p50_us", flatOut.figure("p50_us"))
                .figure("saturated_p99_us", flatOut.figure("p99_us"));
        flatOut.problems().forEach(p -> point.problem("flat out: " + p));
        if (runs.size() > 1) {
            BenchResult half = runs.get(1);
            double offered = throughput(flatOut) / 2;
            point.figure("half_offered_per_s", Math.round(offered * 10) / 10.0)
                    .figure("half_rate_per_s", throughput(half)).figure("half_p50_us", half.figure("p50_us"))
                    .figure("half_p99_us", half.figure("p99_us"));
            half.problems().forEach(p -> point.problem("half rate: " + p));
            if (throughput(half) < FELL_BEHIND * offered) {
                point.problem(String.format(Locale.ROOT, "half rate: %,.0f/s of the %,.0f/s offered: the target or "
                        + "the generator fell behind, so that latency includes a queue", throughput(half), offered));
            }
        } else {
            point.problem("no half-rate run: flat out measured no throughput");
        }
        return point.build();
    }

    /** Requests or deliveries per second, whichever the load counts. */
    private static double throughput(BenchResult run) {
        double requests = run.figure("requests_per_s");
        return Double.isNaN(requests) ? run.figure("deliveries_per_s") : requests;
    }

    /** A point's options: the run's timing and generator, the scenario's load set by the caller. */
    private BenchOptions.Builder point(Scenario scenario) {
        return BenchOptions.builder().scenario(scenario).clientThreads(options.clientThreads())
                .progressInterval(options.progressInterval()).connectConcurrency(options.connectConcurrency())
                .sourceAddresses(options.sourceAddresses()).warmup(options.warmup()).duration(options.duration());
    }
}
