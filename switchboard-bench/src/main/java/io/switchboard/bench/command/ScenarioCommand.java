package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchReport;
import io.switchboard.bench.BenchRunner;
import io.switchboard.bench.Scenario;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What every scenario subcommand does once its flags are parsed: build the options, run, report, exit. The
 * subcommand's name is the scenario's, as {@link Scenario#of} reads it.
 */
abstract class ScenarioCommand implements Callable<Integer> {
    /** The builder's own defaults, so that each flag's default is stated once, in {@link BenchOptions}. */
    static final BenchOptions DEFAULTS = BenchOptions.builder().build();

    @Spec
    CommandSpec spec;

    @ParentCommand
    BenchCommand bench;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this scenario's flags and exit.")
    boolean help;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    /** Applies this scenario's own flags; its {@link SharedFlags} mixins are applied already. */
    abstract void configure(BenchOptions.Builder options);

    BenchOptions options() {
        BenchOptions.Builder options = BenchOptions.builder().scenario(Scenario.of(spec.name()));
        for (CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof SharedFlags flags) {
                flags.applyTo(options);
            }
        }
        configure(options);
        try {
            return options.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        BenchReport report = BenchRunner.run(options(), bench.out());
        if (json != null) {
            Files.writeString(json, report.json());
        }
        return report.ok() ? 0 : 1;
    }
}
