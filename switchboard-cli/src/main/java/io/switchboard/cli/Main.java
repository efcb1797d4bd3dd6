package io.switchboard.cli;

import io.switchboard.bench.command.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar switchboard.jar}. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "switchboard " + Main.VERSION,
        description = "Switchboard: a framework and servers for stateful real-time services.",
        subcommands = {DemoCommand.class, ClientCommand.class, BenchCommand.class, RegistryCommand.class, GateCommand.class,
                ServiceCommand.class, ClusterCommand.class, ResourceCommand.class, GlobalDbCommand.class,
                AdminCliCommand.class, RouterCommand.class, DaemonCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** This build's version, as {@code --version} prints it and each process reports it in its globaldb record. */
    static final String VERSION = "0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests and for embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::failed);
    }

    /** A {@link CommandFailure} is one line on stderr and exit code 1; anything else is a bug and keeps its trace. */
    private static int failed(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
            throws Exception {
        if (!(e instanceof CommandFailure)) {
            throw e;
        }
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        commandLine.getErr().flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
