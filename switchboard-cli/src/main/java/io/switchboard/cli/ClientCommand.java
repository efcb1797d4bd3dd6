package io.switchboard.cli;

import io.switchboard.client.shell.ClientShell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code switchboard client ws://host:port}: an interactive shell, or a script of commands on stdin. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {"Connect to a gate and type commands:",
                "  request <route> <json>   notify <route> <json>   help   quit",
                "Pushes are printed as they arrive. Commands may also be piped in on standard input."})
final class ClientCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", description = "tcp://host:port, ws://host:port or wss://host:port")
    URI target;

    @Option(names = "--reconnect", description = {"When the connection drops (not a kick), dial again with backoff",
            "and resume the session; prints 'reconnected (session resumed)' or 'reconnected (new session: ...)'."})
    boolean reconnect;

    @Override
    public Integer call() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ClientShell shell = new ClientShell();
        if (reconnect) {
            shell.clientOptions(builder -> builder.reconnect());
        }
        return shell.run(target, in, System.out);
    }
}
