package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandSyntaxException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The interactive admin shell (JLine): line editing, a history file ({@code ~/.switchboard_admin_history}), and
 * completion of verbs, IPs and process names from the world as last listed. {@code watch} runs until Ctrl+C (it
 * notices at the next refresh); {@code quit} or Ctrl+D ends the shell.
 */
final class AdminShell {
    private static final String HELP = """
            list world | list machine | list ip IP | list pid PID
            start IP all|NAME | stop IP all|NAME | kill IP PID
            watch (Ctrl+C ends it) | help | quit""";

    private final AdminApiClient client;
    private final boolean json;
    private final PrintWriter out;
    private final PrintWriter err;
    private final AdminCompleter completer = new AdminCompleter();

    AdminShell(AdminApiClient client, boolean json, PrintWriter out, PrintWriter err) {
        this.client = client;
        this.json = json;
        this.out = out;
        this.err = err;
    }

    int run() throws InterruptedException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).completer(completer)
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"),
                            ".switchboard_admin_history"))
                    .build();
            learnWorld();
            PrintWriter screen = terminal.writer();
            screen.println("connected to " + client.daemon() + "; help lists the commands");
            int last = AdminCliCommand.OK;
            while (true) {
                String line;
                try {
                    line = reader.readLine("admin> ").trim();
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return last;
                }
                if (line.isEmpty()) {
                    continue;
                }
                if (line.equals("quit") || line.equals("exit")) {
                    return last;
                }
                if (line.equals("help")) {
                    screen.println(HELP);
                    continue;
                }
                last = runLine(line, terminal, screen);
                screen.flush();
            }
        } catch (IOException e) {
            err.println("no terminal for the shell: " + e.getMessage() + " (use -c COMMAND)");
            return AdminCliCommand.USAGE;
        }
    }

    private int runLine(String line, Terminal terminal, PrintWriter screen) throws InterruptedException {
        AdminCommand command;
        try {
            command = AdminCommand.parse(line);
        } catch (CommandSyntaxException e) {
            screen.println(e.getMessage());
            return AdminCliCommand.USAGE;
        }
        if (command.verb() != AdminCommand.Verb.WATCH) {
            return AdminCliCommand.runOne(client, command, json, screen, screen);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> stop.set(true));
        try {
            AdminCliCommand.watch(client, json, screen, stop::get);
            return AdminCliCommand.OK;
        } catch (IOException e) {
            screen.println("watch failed: " + e.getMessage());
            return AdminCliCommand.FAILED;
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
        }
    }

    /** Reads the world once for completion; a failure leaves completion to verbs. */
    private void learnWorld() throws InterruptedException {
        try {
            JsonNode world = client.command("list world");
            if ("OK".equals(world.path("outcome").asText())) {
                completer.learn(world.get("data"));
            }
        } catch (IOException e) {
            // Completion without IPs and names; the commands still work.
        }
    }
}
