package io.switchboard.client.shell;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.switchboard.client.CloseReason;
import io.switchboard.client.ReconnectListener;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.client.SwitchboardClientBuilder;
import io.switchboard.protocol.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * An interactive client, like Pitaya's REPL. Reads one command a line:
 *
 * <pre>
 * connect &lt;uri&gt;              connect (tcp://, tls://, ws://, wss://), dropping any current connection
 * request &lt;route&gt; [json]     send a request and print its answer ({} when no JSON is given)
 * notify &lt;route&gt; [json]      send a notify
 * disconnect                 close the connection
 * help                       list the commands
 * quit                       leave (so does the end of input)
 * </pre>
 *
 * Answers print as {@code response <json>} or {@code error <code> <msg>}; pushes as {@code push <route> <json>}
 * whenever they arrive; a kick as {@code kicked <reason>}. With reconnect on
 * ({@code clientOptions(builder -> builder.reconnect())}, {@code switchboard client --reconnect}), a drop prints
 * {@code disconnected <reason>, reconnecting}, then {@code reconnected (session resumed)} or
 * {@code reconnected (new session: <reason>)}. Mistakes print a line starting {@code error:} and the
 * shell goes on. Control characters in what is printed (but tab) come out escaped, as <code>&#92;u001b</code>: a
 * server cannot drive the terminal or forge lines. Each request is answered (or times out) before the next line is
 * read, so a script piped to standard input runs in order and the shell leaves after the last answer.
 */
public final class ClientShell {
    private static final ObjectReader STRICT_JSON =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String HELP = String.join(System.lineSeparator(),
            "commands:",
            "  connect <uri>            connect to tcp://host:port, tls://host:port, ws://host:port[/path] or wss://...",
            "  request <route> [json]   send a request and print the answer",
            "  notify <route> [json]    send a notify",
            "  disconnect               close the connection",
            "  help                     show this list",
            "  quit                     leave the shell");

    private Consumer<SwitchboardClientBuilder> clientOptions = builder -> { };
    private String prompt;

    private PrintStream out;
    private SwitchboardClient client;
    private boolean failed;

    /** Applied to every client the shell builds: TLS trust, handshake {@code user}, timeouts. */
    public ClientShell clientOptions(Consumer<SwitchboardClientBuilder> clientOptions) {
        this.clientOptions = Objects.requireNonNull(clientOptions, "clientOptions");
        return this;
    }

    /** Printed before each line is read; {@code null} (the default, for scripts) prints none. */
    public ClientShell prompt(String prompt) {
        this.prompt = prompt;
        return this;
    }

    /**
     * Runs the shell until {@code quit} or the end of {@code in}.
     *
     * @param target where to connect first, or {@code null} to wait for a {@code connect} command
     * @return 0, or 1 when any command failed (a connection that could not be made, a request that got no
     *         answer, a line that was not understood): so a script can tell it did not run cleanly
     */
    public int run(URI target, BufferedReader in, PrintStream out) {
        this.out = out;
        this.failed = false;
        try {
            if (target != null) {
                connect(target);
            }
            String line;
            while ((line = readLine(in)) != null) {
                if (!execute(line.strip())) {
                    break;
                }
            }
        } finally {
            disconnect();
        }
        return failed ? 1 : 0;
    }

    private String readLine(BufferedReader in) {
        if (prompt != null) {
            out.print(prompt);
            out.flush();
        }
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one command line; false when the shell should leave. */
    private boolean execute(String line) {
        if (line.isEmpty() || line.startsWith("#")) {
            return true;
        }
        String[] words = line.split("\\s+", 3);
        String command = words[0];
        switch (command) {
            case "quit", "exit" -> {
                return false;
            }
            case "help" -> out.println(HELP); // Ours, on several lines: printed as it is.
            case "connect" -> {
                if (words.length != 2) {
                    error("usage: connect <uri>");
                } else {
                    connect(words[1]);
                }
            }
            case "disconnect" -> {
                if (client == null) {
                    error("not connected");
                } else {
                    disconnect();
                    say("disconnected");
                }
            }
            case "request", "notify" -> send(command, words);
            default -> error("unknown command '" + command + "' (type help)");
        }
        return true;
    }

    private void connect(String uri) {
        URI target;
        try {
            target = new URI(uri);
        } catch (URISyntaxException e) {
            error("bad URI: " + e.getMessage());
            return;
        }
        connect(target);
    }

    private void connect(URI target) {
        disconnect();
        SwitchboardClient next;
        try {
            SwitchboardClientBuilder builder = SwitchboardClient.builder(target);
            clientOptions.accept(builder);
            next = builder.build();
        } catch (RuntimeException e) {
            error("cannot connect to " + target + ": " + e.getMessage());
            return;
        }
        next.onPush(push -> say("push " + push.route() + " " + printable(push.body())));
        next.onClose(this::closed);
        next.onReconnect(new ReconnectListener() {
            @Override
            public void onDisconnect(CloseReason reason) {
                say("disconnected " + reason + ", reconnecting");
            }

            @Override
            public void onReconnect(boolean recovered, String reason) {
                say(recovered ? "reconnected (session resumed)" : "reconnected (new session: " + reason + ")");
            }
        });
        try {
            next.connect().join();
        } catch (CompletionException e) {
            next.close().join();
            error("cannot connect to " + target + ": " + describe(e.getCause()));
            return;
        }
        client = next;
        say("connected " + target);
    }

    private void closed(CloseReason reason) {
        switch (reason.kind()) {
            case KICKED -> say("kicked " + reason.message());
            case CLOSED_BY_CLIENT -> { } // The shell closed it and says so itself, where it should.
            default -> say("disconnected " + reason.message());
        }
    }

    private void disconnect() {
        if (client != null) {
            SwitchboardClient current = client;
            client = null;
            current.close().join();
        }
    }

    private void send(String command, String[] words) {
        if (words.length < 2) {
            error("usage: " + command + " <route> [json]");
            return;
        }
        String route = words[1];
        JsonNode body;
        try {
            body = words.length == 3 ? STRICT_JSON.readTree(words[2]) : Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            error("bad JSON: " + firstLine(e.getMessage()));
            return;
        }
        if (client == null || !client.isConnected()) {
            error("not connected (use connect <uri>)");
            return;
        }
        try {
            if (command.equals("notify")) {
                client.notify(route, body).join();
            } else {
                print(client.request(route, body).join());
            }
        } catch (CompletionException e) {
            error(command + " " + route + " failed: " + describe(e.getCause()));
        } catch (IllegalArgumentException e) {
            error(e.getMessage());
        }
    }

    private void print(Response response) {
        if (!response.isError()) {
            say("response " + printable(response.body()));
        } else if (response.errorCode() != Response.NO_CODE) {
            say("error " + response.errorCode() + " " + Objects.toString(response.errorMessage(), ""));
        } else {
            say("error " + printable(response.body()));
        }
    }

    /** JSON on one line when the body is JSON, else the body as text. */
    private static String printable(byte[] body) {
        try {
            return body.length == 0 ? "" : STRICT_JSON.readTree(body).toString();
        } catch (IOException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static String describe(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "timed out: " + cause.getMessage();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private void error(String message) {
        failed = true;
        say("error: " + message);
    }

    /**
     * Prints one line. Much of it comes from the server (routes, bodies, kick reasons, error messages), which must
     * not be able to drive the terminal with escape sequences or forge lines of its own: so every control character
     * but tab is printed escaped, as <code>&#92;u001b</code>.
     */
    private void say(String line) {
        out.println(escapeControls(line));
    }

    static String escapeControls(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // ISO controls: C0 (ESC, CR, LF, BEL...), DEL and C1 (some terminals take U+009B as CSI).
            boolean control = Character.isISOControl(c) && c != '\t';
            if (control && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (control) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    /** Runs the shell on standard input and output: {@code ClientShell [uri]}. */
    public static void main(String[] args) {
        URI target = args.length > 0 ? URI.create(args[0]) : null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ClientShell shell = new ClientShell().prompt(System.console() != null ? "> " : null);
        System.exit(shell.run(target, in, System.out));
    }
}
