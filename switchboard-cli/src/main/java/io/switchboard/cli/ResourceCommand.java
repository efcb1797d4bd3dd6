package io.switchboard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code switchboard resource}: the resource manager of seed 000 (DESIGN §8). */
@Command(name = "resource", mixinStandardHelpOptions = true,
        description = "The resource manager: modules, dependencies, IDC/set topology with probing, and key/value "
                + "config from a conf directory (seed 000).",
        subcommands = ResourceCheckCommand.class)
final class ResourceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }
}
