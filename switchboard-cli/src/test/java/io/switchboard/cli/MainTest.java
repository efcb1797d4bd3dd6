package io.switchboard.cli;

import io.switchboard.client.shell.ClientShell;
import io.switchboard.demo.DemoServer;
import io.switchboard.admin.HttpPortLimits;
import io.switchboard.daemon.admin.AdminTls;
import io.switchboard.daemon.admin.AdminTlsFiles;
import io.switchboard.gate.GateConfig;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.RedisServer;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The command line: help and flags, and the client shell driven by a script against the real demo server. */
class MainTest {

    @Test
    void helpListsTheCommands() {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("demo").contains("client");
        StringWriter client = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(client)).execute("client", "--help")).isZero();
        assertThat(client.toString()).contains("--reconnect").contains("resume the session");
    }

    @Test
    void clusterCommandsDocumentTheDirectoryAndTheChat() {
        StringWriter gate = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(gate)).execute("gate", "--help")).isZero();
        assertThat(gate.toString()).contains("--directory").contains("redis://").contains("--chat")
                .contains("--chat-db").contains("--login-policy").contains("SWITCHBOARD_CHAT_TOKEN_SECRET");
        StringWriter service = new StringWriter();
        // 'service --help' clashes with the service's own --version option, so ask the help command.
        assertThat(Main.commandLine().setOut(new PrintWriter(service)).execute("service", "--help")).isZero();
        assertThat(service.toString()).contains("demo or chat").contains("--chat-db").doesNotContain("--node-id");
        StringWriter up = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(up)).execute("cluster", "up", "--help")).isZero();
        assertThat(up.toString()).contains("--chat-nodes").contains("--directory");
    }

    @Test
    void benchIsTheBenchModulesCommandWithItsScenarios() {
        StringWriter bench = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(bench)).execute("bench", "--help")).isZero();
        assertThat(bench.toString()).contains("Usage: switchboard bench [-h] SCENARIO").contains("broadcast")
                .contains("connections").contains("churn").contains("jmh");
        StringWriter echo = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(echo)).execute("bench", "echo", "--help")).isZero();
        assertThat(echo.toString()).contains("Usage: switchboard bench echo").contains("--half-rate")
                .contains("--in-flight=N").contains("--compare");
        StringWriter err = new StringWriter();
        assertThat(Main.commandLine().setErr(new PrintWriter(err)).execute("bench", "echo", "--help-me")).isEqualTo(2);
        assertThat(err.toString()).contains("'--help-me'");
    }

    @Test
    void serviceRefusesAnUnknownService() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("service", "nope", "--registry",
                "memory");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("available: demo, chat");
    }

    @Test
    void demoGateAndServiceTakeEventsAndRefuseABadUrlBeforeOpeningAnything() {
        for (String command : new String[] {"demo", "gate", "service"}) {
            StringWriter help = new StringWriter();
            assertThat(Main.commandLine().setOut(new PrintWriter(help)).execute(command, "--help")).isZero();
            assertThat(help.toString()).contains("--events=").contains("RabbitMQ").contains("--events-exchange");
        }
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("demo", "--events",
                "http://user:hunter2@127.0.0.1:5672/", "--port", "0", "--admin-port", "-1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--events: bad events URL").doesNotContain("hunter2");
        StringWriter serviceErr = new StringWriter();
        assertThat(Main.commandLine().setErr(new PrintWriter(serviceErr)).execute("service", "demo", "--registry",
                "memory", "--events", "amqp://127.0.0.1:notaport/")).isEqualTo(2);
        assertThat(serviceErr.toString()).contains("--events: bad events URL");
    }

    @Test
    void demoAndGateTakeTheLimitsOnTheClientPort() {
        for (String command : new String[] {"demo", "gate"}) {
            StringWriter help = new StringWriter();
            assertThat(Main.commandLine().setOut(new PrintWriter(help)).execute(command, "--help")).isZero();
            assertThat(help.toString()).contains("--handshake-timeout=SECONDS").contains("--max-handshake=BYTES")
                    .contains("--max-connections=N").contains("--max-connections-per-ip=N");
        }
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--handshake-timeout", "3", "--max-handshake", "4096",
                "--max-connections", "500", "--max-connections-per-ip", "20");
        GateConfig config = demo.limits.applyTo(GateConfig.builder()).build();
        assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.maxHandshakeLength()).isEqualTo(4096);
        assertThat(config.maxConnections()).isEqualTo(500);
        assertThat(config.maxConnectionsPerIp()).isEqualTo(20);
        GateConfig defaults = new GateCommand().limits.applyTo(GateConfig.builder()).build();
        assertThat(defaults.handshakeTimeout()).isEqualTo(GateConfig.DEFAULT_HANDSHAKE_TIMEOUT);
        assertThat(defaults.maxConnectionsPerIp()).isEqualTo(GateConfig.NO_LIMIT);
    }

    @Test
    void theDaemonTakesItsAdminPortsLimits() {
        DaemonCommand daemon = new DaemonCommand();
        new CommandLine(daemon).parseArgs("--ip", "127.0.0.1", "--max-connections", "32",
                "--max-connections-per-ip", "4", "--request-timeout", "5", "--idle-timeout", "20",
                "--stalled-reader-timeout", "7");
        HttpPortLimits limits = daemon.config().admin().limits();
        assertThat(limits).isEqualTo(new HttpPortLimits(32, 4, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofSeconds(7)));
        DaemonCommand defaults = new DaemonCommand();
        new CommandLine(defaults).parseArgs("--ip", "127.0.0.1");
        assertThat(defaults.config().admin().limits()).isEqualTo(HttpPortLimits.ADMIN_DEFAULTS);
        DaemonCommand zero = new DaemonCommand();
        new CommandLine(zero).parseArgs("--ip", "127.0.0.1", "--request-timeout", "0");
        assertThatThrownBy(zero::config).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDaemonsAdminPortTakesTlsFilesBothOrNeither() throws Exception {
        AdminTls files = new AdminTlsFiles().tls();
        String cert = files.certificateChain().toString();
        String key = files.privateKey().toString();
        DaemonCommand daemon = new DaemonCommand();
        new CommandLine(daemon).parseArgs("--ip", "127.0.0.1", "--admin-tls-cert", cert, "--admin-tls-key", key);
        assertThat(daemon.config().admin().tls()).contains(files);
        assertThat(daemon.config().admin().scheme()).isEqualTo("https");
        DaemonCommand plain = new DaemonCommand();
        new CommandLine(plain).parseArgs("--ip", "127.0.0.1");
        assertThat(plain.config().admin().tls()).isEmpty();

        // The key's file given as the certificate: read as the options are, named in one line.
        DaemonCommand swapped = new DaemonCommand();
        new CommandLine(swapped).parseArgs("--ip", "127.0.0.1", "--admin-tls-cert", key, "--admin-tls-key", cert);
        assertThatThrownBy(swapped::config).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--admin-tls-cert " + key + ", --admin-tls-key " + cert + ": ")
                .hasMessageNotContaining("\n");

        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("daemon", "--ip", "127.0.0.1",
                "--admin-tls-cert", cert);
        assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).startsWith("--admin-tls-cert and --admin-tls-key go together\n");
    }

    @Test
    void demoAndGateTakeTheResumeSettings() {
        for (String command : new String[] {"demo", "gate"}) {
            StringWriter help = new StringWriter();
            assertThat(Main.commandLine().setOut(new PrintWriter(help)).execute(command, "--help")).isZero();
            assertThat(help.toString()).contains("--resume-grace=SECONDS").contains("--resume-buffer=BYTES")
                    .contains("--max-parked=N");
        }
        GateConfig defaults = new GateCommand().limits.applyTo(GateConfig.builder()).build();
        assertThat(defaults.resumeGrace()).isEqualTo(GateConfig.DEFAULT_RESUME_GRACE);
        assertThat(defaults.resumeBufferBytes()).isEqualTo(GateConfig.DEFAULT_RESUME_BUFFER);
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--resume-grace", "0", "--resume-buffer", "1024", "--max-parked", "7");
        GateConfig off = demo.limits.applyTo(GateConfig.builder()).build();
        assertThat(off.resumeEnabled()).isFalse();
        assertThat(off.resumeBufferBytes()).isEqualTo(1024);
        assertThat(off.maxParkedSessions()).isEqualTo(7);
    }

    @Test
    void aLimitOutOfRangeIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("demo", "--port", "0",
                "--admin-port", "-1", "--handshake-timeout", "0");
        assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("handshakeTimeout must be positive");
    }

    @Test
    void gateAndServiceTakeTheClusterLinkFlags() {
        StringWriter gate = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(gate)).execute("gate", "--help")).isZero();
        assertThat(gate.toString()).contains("--cluster-bind").contains("--cluster-tls-cert")
                .contains("SWITCHBOARD_CLUSTER_SECRET");
        StringWriter service = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(service)).execute("service", "--help")).isZero();
        assertThat(service.toString()).contains("--cluster-tls-ca").contains("SWITCHBOARD_CLUSTER_SECRET")
                .doesNotContain("--cluster-bind");
    }

    @Test
    void serviceRefusesHalfTheClusterTlsFlags() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("service", "demo", "--registry", "memory",
                "--admin-port", "-1", "--cluster-tls-cert", "cert.pem");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--cluster-tls-cert, --cluster-tls-key and --cluster-tls-ca go together");
    }

    @Test
    void demoRefusesACertificateWithoutAKey() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("demo", "--port", "0",
                "--admin-port", "-1", "--tls-cert", "cert.pem");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("--tls-cert and --tls-key go together");
    }

    @Test
    void scriptedClientShellTalksToTheDemo() throws Exception {
        try (DemoServer server = DemoServer.start(0, -1)) {
            String script = String.join("\n",
                    "request demo.echo.say {\"a\":1}",
                    "request demo.room.join {\"room\":\"r\",\"name\":\"ann\"}",
                    "notify demo.room.say {\"text\":\"hi\"}",
                    "request demo.nope.nope {}",
                    "request demo.echo.say {broken",
                    "quit") + "\n";
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            int code = new ClientShell().run(URI.create("ws://127.0.0.1:" + server.port()),
                    new BufferedReader(new StringReader(script)), out);
            String text = bytes.toString(StandardCharsets.UTF_8);
            // A script that met an error exits 1, after running every line.
            assertThat(code).as(text).isEqualTo(1);
            assertThat(text).contains("error: bad JSON");
            assertThat(text).contains("{\"a\":1}");
            assertThat(text).contains("\"members\":[\"ann\"]");
            assertThat(text).contains("1003000001");
        }
    }

    // --- secrets never echoed, and bad flags a usage error or one line, never a trace ---

    private static final String SECRET = "hunter2secret";

    @ParameterizedTest
    @ValueSource(strings = {"daemon", "router"})
    void aGlobalDbUrlIsNeverEchoedWithItsPassword(String command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of(command, "--globaldb", "redis://:" + SECRET + "@my_host:6379"));
        if (command.equals("daemon")) {
            args.addAll(List.of("--ip", "127.0.0.1"));
        } else {
            args.addAll(List.of("--port", "0", "--admin-port", "-1"));
        }
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("redis://***@my_host:6379").doesNotContain(SECRET);
        assertThat(out.toString()).doesNotContain(SECRET);
    }

    @Test
    void theGateDoesNotPrintTheDirectorysPassword() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", SECRET)) {
            String directory = redis.uri().replace("redis://", "redis://:" + SECRET + "@");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int[] code = {-1};
            Thread gate = new Thread(() -> code[0] = Main.commandLine().setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true)).execute("gate", "--registry", "memory", "--port", "0",
                            "--cluster-port", "0", "--admin-port", "-1", "--directory", directory), "gate");
            gate.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("directory")
                        || !gate.isAlive());
            } finally {
                gate.interrupt();
                gate.join(20_000);
            }
            assertThat(out.toString()).as(err.toString()).contains("directory redis://***@127.0.0.1:")
                    .doesNotContain(SECRET);
            assertThat(err.toString()).doesNotContain(SECRET);
        }
    }

    /** Bad flags and files, and a registry or directory that cannot be reached: no stack trace, no secret. */
    static Stream<Arguments> refusals() {
        int closed = FreePort.next();
        String[] quiet = {"--port", "0", "--admin-port", "-1"};
        String[] gate = {"gate", "--registry", "memory", "--cluster-port", "0"};
        return Stream.of(
                Arguments.of(join(new String[] {"demo", "--heartbeat", "0"}, quiet), 2, "heartbeat"),
                Arguments.of(new String[] {"demo", "--port", "70000", "--admin-port", "-1"}, 2, "70000"),
                Arguments.of(join(gate, quiet, "--cluster-tls-cert", "/nope", "--cluster-tls-key", "/nope",
                        "--cluster-tls-ca", "/nope"), 2, "/nope"),
                Arguments.of(join(new String[] {"service", "demo", "--registry", "memory"}, "--admin-port", "-1",
                        "--cluster-tls-cert", "/nope", "--cluster-tls-key", "/nope", "--cluster-tls-ca", "/nope"),
                        2, "/nope"),
                Arguments.of(join(gate, quiet, "--tls-cert", "/nope", "--tls-key", "/nope"), 2, "/nope"),
                Arguments.of(join(new String[] {"demo", "--tls-cert", "/nope", "--tls-key", "/nope"}, quiet), 2,
                        "/nope"),
                Arguments.of(join(new String[] {"gate", "--registry", "zk://127.0.0.1:" + closed + "/switchboard/"},
                        quiet), 2, "--registry"),
                // A closed port and a short connect timeout: a ZooKeeper that is not there, in about a second.
                Arguments.of(join(new String[] {"gate", "--registry", "zk://127.0.0.1:" + closed
                        + "/switchboard?connectionTimeoutMs=500"}, quiet), 1, "cannot connect to ZooKeeper"),
                Arguments.of(join(new String[] {"service", "demo", "--registry", "zk://127.0.0.1:" + closed
                        + "/switchboard?connectionTimeoutMs=500"}, "--admin-port", "-1"), 1,
                        "cannot connect to ZooKeeper"),
                Arguments.of(join(gate, quiet, "--directory", "redis://:" + SECRET + "@127.0.0.1:" + closed), 1,
                        "cannot reach the session directory redis://***@127.0.0.1:" + closed));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void aRefusalIsAUsageErrorOrOneLineNeverATrace(String[] args, int expected, String says) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertThat(code).as(err.toString()).isEqualTo(expected);
        // Not even a trace-less exception's class name: a person reads this.
        assertThat(err.toString()).contains(says).doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain(SECRET);
        assertThat(out.toString()).doesNotContain(SECRET);
    }

    private static String[] join(String[] first, String[] second, String... more) {
        return join(join(first, second), more);
    }

    private static String[] join(String[] first, String... more) {
        return Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(String[]::new);
    }
}
