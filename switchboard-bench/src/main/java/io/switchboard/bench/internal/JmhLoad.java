package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.PrintStream;
import java.util.Collection;

/**
 * Runs the JMH benchmarks of {@code io.switchboard.bench.jmh} in a forked JVM, as JMH requires, with short
 * iterations; {@code java -cp <class path> org.openjdk.jmh.Main} runs them with JMH's full options instead.
 */
public final class JmhLoad {
    private static final int WARMUP_ITERATIONS = 2;
    private static final int MEASUREMENT_ITERATIONS = 3;

    private JmhLoad() {
    }

    public static BenchResult run(BenchOptions options, PrintStream out) throws RunnerException {
        TimeValue time = TimeValue.milliseconds(options.jmhTime().toMillis());
        Options jmh = new OptionsBuilder()
                .include(options.jmhInclude())
                .forks(1)
                .warmupIterations(WARMUP_ITERATIONS).warmupTime(time)
                .measurementIterations(MEASUREMENT_ITERATIONS).measurementTime(time)
                .build();
        Collection<RunResult> results = new Runner(jmh, OutputFormatFactory.createFormatInstance(out,
                VerboseMode.NORMAL)).run();
        BenchResult.Builder result = BenchResult.builder("jmh", "this JVM's code, forked by JMH");
        for (RunResult run : results) {
            String name = run.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            for (String param : run.getParams().getParamsKeys()) {
                name += " " + param + "=" + run.getParams().getParam(param);
            }
            Result<?> primary = run.getPrimaryResult();
            result.figure(name + " (" + primary.getScoreUnit() + ")", Math.round(primary.getScore() * 10) / 10.0);
            result.figure(name + " ± (99.9%)", Math.round(primary.getScoreError() * 10) / 10.0);
        }
        if (results.isEmpty()) {
            result.problem("no benchmark matched " + options.jmhInclude());
        }
        result.note(WARMUP_ITERATIONS + " warm-up and " + MEASUREMENT_ITERATIONS + " measured iterations of "
                + options.jmhTime().toMillis() + " ms, 1 fork: short runs, so read the error column");
        return result.build();
    }
}
