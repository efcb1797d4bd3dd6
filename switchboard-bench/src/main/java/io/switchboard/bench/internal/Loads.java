package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;

import java.io.PrintStream;
import java.util.List;

/** Picks the load for a scenario and runs it against one target. */
public final class Loads {
    private Loads() {
    }

    public static List<BenchResult> run(BenchOptions options, RunningTarget target, PrintStream out) throws Exception {
        return switch (options.scenario()) {
            case ECHO -> echo(options, target, out);
            case BROADCAST -> List.of(new BroadcastLoad(options).run(target, out));
            case CONNECTIONS -> List.of(new ConnectionsLoad(options).run(target, out));
            case CHURN -> List.of(new ChurnLoad(options).run(target, out));
            case RESUME -> List.of(new ResumeLoad(options).run(target, out));
            case SOAK -> List.of(new SoakLoad(options).run(target, out));
            case SCALE -> new ScaleLoad(options).run(target, out);
            case JMH -> throw new IllegalArgumentException("JMH runs without a target");
        };
    }

    /** Flat out; then, with {@code halfRate}, paced at half of what flat out achieved, for the latency there. */
    private static List<BenchResult> echo(BenchOptions options, RunningTarget target, PrintStream out) throws Exception {
        if (!options.halfRate() || options.rate() > 0) {
            return List.of(new EchoLoad(options, options.rate(), "echo").run(target, out));
        }
        return echoThenHalf(options, "echo", target, out);
    }

    /** Echo flat out, then paced at half of what flat out achieved. */
    static List<BenchResult> echoThenHalf(BenchOptions options, String name, RunningTarget target, PrintStream out)
            throws Exception {
        BenchResult flatOut = new EchoLoad(options, 0, name).run(target, out);
        double half = flatOut.figure("requests_per_s") / 2;
        if (!(half > 0)) {
            return List.of(flatOut);
        }
        return List.of(flatOut, new EchoLoad(options, half, name + " at half rate").run(target, out));
    }
}
