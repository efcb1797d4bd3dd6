package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLException;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code switchboard admin --daemon [https://]HOST:8889 [--ca FILE] --user NAME [-c "COMMAND"] [--json]}: the process
 * plane's admin client (DESIGN §9). Logs in to one daemon's admin API with a password from
 * {@code SWITCHBOARD_ADMIN_PASSWORD} or a prompt (never an argument), then runs one command or an interactive shell;
 * the daemon checks the role and relays commands for other machines through the router.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Manage the world's processes through a daemon's admin API.",
                "Commands: list world | list machine | list ip IP | list pid PID | start IP all|NAME | "
                        + "stop IP all|NAME | kill IP PID | watch.",
                "The password comes from SWITCHBOARD_ADMIN_PASSWORD or a prompt, never from the command line."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:the command failed (refused by role, unreachable machine, ...)",
                "2:usage (bad option or command)", "3:login refused"})
public final class AdminCliCommand implements Callable<Integer> {
    static final String PASSWORD_ENV = "SWITCHBOARD_ADMIN_PASSWORD";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int LOGIN_REFUSED = 3;

    @Option(names = "--daemon", defaultValue = "127.0.0.1:8889", paramLabel = "[https://]HOST:PORT",
            description = "The daemon's admin port: HOST:PORT or http://HOST:PORT for plain HTTP, https://HOST:PORT "
                    + "for a daemon with --admin-tls-cert (default ${DEFAULT-VALUE}).")
    String daemon;

    @Option(names = "--ca", paramLabel = "FILE", description = "PEM certificate(s) of the CA that signed an "
            + "https:// daemon's certificate, or that certificate itself (default: the JDK's trust store). "
            + "The host name is checked either way.")
    Path ca;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "The operator's name.")
    String user;

    @Option(names = {"-c", "--command"}, paramLabel = "COMMAND",
            description = "Run this one command and exit; without it, an interactive shell.")
    String command;

    @Option(names = "--json", description = "Print the daemon's JSON answers (one per line), for scripts.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    public AdminCliCommand() {
        this(System.getenv());
    }

    /** With another environment, for tests. */
    AdminCliCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) throws InterruptedException {
        AdminCommand parsed = null;
        if (command != null) {
            try {
                parsed = AdminCommand.parse(command);
            } catch (CommandSyntaxException e) {
                err.println(e.getMessage());
                return USAGE;
            }
        }
        AdminEndpoint endpoint;
        try {
            endpoint = AdminEndpoint.of(daemon, ca);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        String warning = endpoint.plainTextWarning();
        if (warning != null) {
            err.println(warning);
        }
        AdminApiClient client = new AdminApiClient(endpoint);
        char[] password = password();
        if (password == null) {
            err.println("no password: set " + PASSWORD_ENV + " or run in a terminal to be asked");
            return USAGE;
        }
        try {
            client.login(user, password);
        } catch (AdminApiClient.LoginRefused e) {
            err.println(e.getMessage());
            return LOGIN_REFUSED;
        } catch (SSLException e) {
            // An untrusted certificate or one for another name: one line that says what to do, not a trace.
            err.println("no TLS with the daemon at " + client.daemon() + ": " + CommandFailure.rootMessage(e)
                    + " (trust its CA with --ca FILE; its certificate must name the host given)");
            return FAILED;
        } catch (IOException e) {
            err.println("cannot reach the daemon at " + client.daemon() + ": " + e);
            return FAILED;
        }
        if (parsed == null) {
            return new AdminShell(client, json, out, err).run();
        }
        return runOne(client, parsed, json, out, err);
    }

    private char[] password() {
        String given = environment.get(PASSWORD_ENV);
        if (given != null && !given.isEmpty()) {
            return given.toCharArray();
        }
        Console console = System.console();
        return console == null ? null : console.readPassword("password for %s: ", user);
    }

    static int runOne(AdminApiClient client, AdminCommand command, boolean json, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        try {
            if (command.verb() == AdminCommand.Verb.WATCH) {
                watch(client, json, out, () -> false);
                err.println("the watch ended: the daemon closed it (stopped, or the login ended)");
                return FAILED;
            }
            return report(client.command(command.toString()), json, out, err);
        } catch (IOException e) {
            err.println("the daemon at " + client.daemon() + " did not answer: " + e.getMessage());
            return FAILED;
        }
    }

    /** Prints the views of the watch stream until it ends (Ctrl+C ends the program) or {@code stop} says so. */
    static void watch(AdminApiClient client, boolean json, PrintWriter out, BooleanSupplier stop)
            throws IOException, InterruptedException {
        client.watch(view -> {
            if (json) {
                out.println(view);
            } else {
                out.println("--- " + Instant.ofEpochMilli(view.path("data").path("at").asLong()) + " (Ctrl+C ends)");
                out.print(view.path("outcome").asText().equals("OK") ? AdminTables.render(view)
                        : view.path("message").asText() + "\n");
            }
            out.flush();
        }, stop);
    }

    /** Prints a command's result (a table, or JSON) and gives its exit code. */
    static int report(JsonNode result, boolean json, PrintWriter out, PrintWriter err) {
        if (json) {
            out.println(result);
        } else if ("OK".equals(result.path("outcome").asText())) {
            out.print(AdminTables.render(result));
        } else {
            err.println(result.path("outcome").asText().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
                    + result.path("message").asText());
        }
        return result.path("exitCode").asInt(FAILED);
    }
}
