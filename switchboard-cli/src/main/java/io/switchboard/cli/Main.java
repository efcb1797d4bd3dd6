package io.switchboard.cli;

import io.switchboard.bench.command.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar switchboard.jar}. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "switchboard 0.1.0",
        description = "Switchboard: a framework and servers for stateful real-time services.",
        subcommands = {DemoCommand.class, ClientCommand.class, BenchCommand.class, RegistryCommand.class, GateCommand.class,
                ServiceCommand.class, ClusterCommand.class, ResourceCommand.class, RouterCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests and for embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
