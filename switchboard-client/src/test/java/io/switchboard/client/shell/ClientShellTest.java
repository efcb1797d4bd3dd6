package io.switchboard.client.shell;

import io.switchboard.client.testserver.TestServer;
import io.switchboard.client.testserver.TestServer.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

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
}
