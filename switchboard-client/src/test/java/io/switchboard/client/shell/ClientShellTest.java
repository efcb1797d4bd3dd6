package io.switchboard.client.shell;

import io.switchboard.client.ReconnectPolicy;
import io.switchboard.client.testserver.TestServer;
import io.switchboard.client.testserver.TestServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shell driven by a script on its input, as {@code switchboard client ws://...} runs it. */
@Timeout(value = 30, unit = SECONDS)
class ClientShellTest {
    private final List<TestServer> servers = new ArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private int exitCode;

    @AfterEach
    void tearDown() {
        servers.forEach(TestServer::close);
    }

    private TestServer server(Transport transport) throws Exception {
        TestServer server = new TestServer(transport);
        servers.add(server);
        return server;
    }

    private List<String> run(ClientShell shell, URI target, String... script) {
        BufferedReader in = new BufferedReader(new StringReader(String.join("\n", script) + "\n"));
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = shell.run(target, in, out);
        }
        return output.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "WS"})
    void runsAScriptInOrderAndLeavesAtTheEnd(Transport transport) throws Exception {
        TestServer server = server(transport);

        List<String> lines = run(new ClientShell(), server.uri(),
                "request echo.hi {\"a\": 1}",
                "notify push.me {\"n\":2}",
                "request error.fail {}",
                "# a comment, then a blank line",
                "",
                "request echo.hi");

        assertThat(lines).containsExactly(
                "connected " + server.uri(),
                "response {\"a\":1}",
                "push room.news {\"n\":2}",
                "error " + TestServer.ERROR_CODE + " boom",
                "response {}");
        assertThat(exitCode).isZero();
        assertThat(server.events()).contains("request 1 echo.hi {\"a\":1}", "notify push.me {\"n\":2}",
                "request 3 echo.hi {}");
    }

    @Test
    void mistakesPrintAnErrorAndTheShellGoesOn() throws Exception {
        TestServer server = server(Transport.TCP);

        List<String> lines = run(new ClientShell(), server.uri(),
                "frobnicate now",
                "request echo.hi {\"a\":",
                "request echo.hi {} {}",
                "request",
                "connect",
                "request echo.hi {\"still\":\"here\"}",
                "quit",
                "request echo.hi {\"never\":\"sent\"}");

        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).isEqualTo("connected " + server.uri());
        assertThat(lines.get(1)).isEqualTo("error: unknown command 'frobnicate' (type help)");
        assertThat(lines.get(2)).startsWith("error: bad JSON: ");
        assertThat(lines.get(3)).startsWith("error: bad JSON: ");
        assertThat(lines.get(4)).isEqualTo("error: usage: request <route> [json]");
        assertThat(lines.get(5)).isEqualTo("error: usage: connect <uri>");
        assertThat(lines.get(6)).isEqualTo("response {\"still\":\"here\"}");
        assertThat(exitCode).isEqualTo(1);
        assertThat(server.events()).noneMatch(event -> event.contains("never"));
    }

    @Test
    void printsKicksAndReconnects() throws Exception {
        TestServer server = server(Transport.WS);

        List<String> lines = run(new ClientShell(), server.uri(),
                "request kick.me {\"reason\":\"maintenance\"}",
                "request echo.hi {}",
                "connect " + server.uri(),
                "request echo.hi {\"again\":true}",
                "disconnect",
                "request echo.hi {}");

        assertThat(lines).containsExactly(
                "connected " + server.uri(),
                "kicked maintenance",
                "error: request kick.me failed: kicked: maintenance",
                "error: not connected (use connect <uri>)",
                "connected " + server.uri(),
                "response {\"again\":true}",
                "disconnected",
                "error: not connected (use connect <uri>)");
    }

    @Test
    void startsUnconnectedAndReportsAFailedConnect() throws Exception {
        TestServer server = server(Transport.TCP);
        URI nobody = URI.create("tcp://127.0.0.1:" + server.uri().getPort());
        server.close();

        List<String> lines = run(new ClientShell().clientOptions(builder -> builder.connectTimeout(Duration.ofSeconds(2))),
                null,
                "help",
                "connect " + nobody,
                "connect ::not-a-uri",
                "connect http://example.invalid:80");

        assertThat(lines).contains("commands:");
        assertThat(lines).anyMatch(line -> line.startsWith("error: cannot connect to " + nobody + ": "));
        assertThat(lines).anyMatch(line -> line.startsWith("error: bad URI: "));
        assertThat(lines).contains("error: cannot connect to http://example.invalid:80: "
                + "scheme must be tcp, tls, ws or wss: http://example.invalid:80");
        assertThat(exitCode).isEqualTo(1);
    }

    @Test
    void printsTheServersReasonWhenTheConnectionDrops() throws Exception {
        TestServer server = server(Transport.TCP);

        List<String> lines = run(new ClientShell(), server.uri(), "request drop.me {}");

        assertThat(lines).containsExactly(
                "connected " + server.uri(),
                "disconnected connection closed",
                "error: request drop.me failed: connection closed");
    }

    /** Runs the shell with reconnect on, in the background, reading the lines written to {@code script}. */
    private CompletableFuture<Integer> runWithReconnect(TestServer server, PipedWriter script) throws IOException {
        BufferedReader in = new BufferedReader(new PipedReader(script));
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        ClientShell shell = new ClientShell().clientOptions(builder -> builder.reconnect(
                ReconnectPolicy.defaults().withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))));
        return CompletableFuture.supplyAsync(() -> shell.run(server.uri(), in, out));
    }

    private void type(PipedWriter script, String lines) throws IOException {
        script.write(lines);
        script.flush();
    }

    private void awaitOutput(String text) {
        await().atMost(Duration.ofSeconds(5)).until(() -> output.toString(StandardCharsets.UTF_8).contains(text));
    }

    @Test
    void withReconnectOnPrintsWhetherTheSessionWasResumed() throws Exception {
        TestServer server = server(Transport.TCP).offerResume(true);
        PipedWriter script = new PipedWriter();
        CompletableFuture<Integer> exit = runWithReconnect(server, script);

        type(script, "request drop.me {}\n");
        awaitOutput("reconnected (session resumed)");
        type(script, "request echo.hi {\"back\":true}\nquit\n");

        assertThat(exit).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1); // the dropped request failed
        List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).containsSubsequence(
                "connected " + server.uri(),
                "disconnected connection closed, reconnecting",
                "reconnected (session resumed)",
                "response {\"back\":true}");
        assertThat(lines).contains("error: request drop.me failed: connection closed").hasSize(5);
        assertThat(server.handshakes().get(1).path("user").path("resume").asText()).isEqualTo("t1");
    }

    @Test
    void aResumeTheServerRefusesPrintsTheNewSessionAndWhy() throws Exception {
        TestServer server = server(Transport.TCP).offerResume(false);
        PipedWriter script = new PipedWriter();
        CompletableFuture<Integer> exit = runWithReconnect(server, script);
        awaitOutput("connected ");

        server.dropAll();

        awaitOutput("reconnected (new session: the server could not resume the session)");
        type(script, "quit\n");
        assertThat(exit).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(0);
    }

    @Test
    void controlCharactersFromTheServerArePrintedEscaped() throws Exception {
        TestServer server = server(Transport.TCP);
        PipedWriter script = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(script));
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> new ClientShell().run(server.uri(), in, out));
        awaitOutput("connected ");

        // A route and a non-JSON body that would set the terminal's title, clear it, and forge a line of output.
        server.push("room\u001b]0;pwned\u0007", "not json \u001b[2J\nresponse {\"forged\":true}");
        awaitOutput("push ");
        type(script, "request kick.me {\"reason\":\"bye \\u001b[31m\"}\nquit\n");

        assertThat(exit).succeedsWithin(Duration.ofSeconds(5));
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\u001b", "\u0007");
        assertThat(printed.lines().toList()).containsExactly(
                "connected " + server.uri(),
                "push room\\u001b]0;pwned\\u0007 not json \\u001b[2J\\u000aresponse {\"forged\":true}",
                "kicked bye \\u001b[31m",
                "error: request kick.me failed: kicked: bye \\u001b[31m");
    }

    @Test
    void escapingLeavesTabsAndOrdinaryTextAlone() {
        assertThat(ClientShell.escapeControls("plain\ttext, été ✓")).isEqualTo("plain\ttext, été ✓");
        assertThat(ClientShell.escapeControls("\r\u007f\u009b")).isEqualTo("\\u000d\\u007f\\u009b");
    }
}
