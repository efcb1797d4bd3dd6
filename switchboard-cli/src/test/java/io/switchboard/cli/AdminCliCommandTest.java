package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.daemon.admin.AdminApiConfig;
import io.switchboard.daemon.admin.AdminApiServer;
import io.switchboard.daemon.admin.AdminTlsFiles;
import io.switchboard.daemon.admin.CommandExecutor;
import io.switchboard.daemon.admin.FakeMachine;
import io.switchboard.daemon.admin.FakeRelay;
import io.switchboard.daemon.admin.Liveness;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.globaldb.Role;
import io.switchboard.globaldb.World;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code switchboard admin} against a real admin API in-process on a free loopback port, as a script would run it. */
class AdminCliCommandTest {
    private static final String LOCAL = "127.0.0.2";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeMachine machine = new FakeMachine();
    private final AdminApiConfig config = AdminApiConfig.defaults("127.0.0.1", 0)
            .withWatchPeriod(Duration.ofSeconds(30));
    private AdminApiServer server;
    private String daemon;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        start(config);
    }

    private void start(AdminApiConfig config) throws Exception {
        if (server != null) {
            server.close();
        }
        InMemoryGlobalDb db = new InMemoryGlobalDb(1_000);
        db.replaceWorld(new World(Map.of("east", Map.of(LOCAL, List.of(
                new ProcessSpec("gate", "gate", "127.0.0.1", 10101, null, null, null, null))))));
        db.putUser("ann", "annann".toCharArray(), Role.VIEWER);
        db.putUser("otto", "ottootto".toCharArray(), Role.OPERATOR);
        CommandExecutor executor = new CommandExecutor(LOCAL, db, machine, new FakeRelay(),
                Clock.systemUTC(), Liveness.Rule.defaults());
        server = new AdminApiServer(config, executor, db, machine, new ManualTicker()).start();
        daemon = "127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run admin(String password, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = password == null ? Map.of() : Map.of(AdminCliCommand.PASSWORD_ENV, password);
        CommandLine line = new CommandLine(new AdminCliCommand(env)).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));
        return new Run(line.execute(args), out.toString(), err.toString());
    }

    @Test
    void oneCommandWithJsonForScripts() throws Exception {
        Run run = admin("annann", "--daemon", daemon, "--user", "ann", "-c", "list world", "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode answer = JSON.readTree(run.out());
        assertThat(answer.get("outcome").asText()).isEqualTo("OK");
        assertThat(answer.at("/data/regions/0/machines/0/ip").asText()).isEqualTo(LOCAL);
        assertThat(answer.at("/data/regions/0/machines/0/processes/0/name").asText()).isEqualTo("gate");
    }

    @Test
    void tablesForPeople() {
        Run machines = admin("annann", "--daemon", daemon, "--user", "ann", "-c", "list machine");
        assertThat(machines.exitCode()).isZero();
        assertThat(machines.out()).startsWith("REGION  IP          REACHABLE  PROCESSES  ALIVE  HUNG  STOPPED\n")
                .contains("east    127.0.0.2*  yes        1          0      0     1");

        Run ip = admin("annann", "--daemon", daemon, "--user", "ann", "-c", "list ip " + LOCAL);
        assertThat(ip.out()).contains("NAME  TYPE  HOST:PORT        PID  STATE    LIVENESS")
                .contains("gate  gate  127.0.0.1:10101  -    UNKNOWN  stopped");
    }

    @Test
    void anOperatorsStopReachesTheMachine() {
        Run run = admin("ottootto", "--daemon", daemon, "--user", "otto", "-c", "stop " + LOCAL + " gate");
        assertThat(run.exitCode()).isZero();
        assertThat(machine.calls).containsExactly("stop gate");
    }

    @Test
    void aRefusedCommandExitsOne() {
        Run forbidden = admin("annann", "--daemon", daemon, "--user", "ann", "-c", "stop " + LOCAL + " gate");
        assertThat(forbidden.exitCode()).isEqualTo(1);
        assertThat(forbidden.err()).startsWith("forbidden: user ann (role viewer) may not 'stop 127.0.0.2 gate'");
        assertThat(machine.calls).isEmpty();

        Run elsewhere = admin("ottootto", "--daemon", daemon, "--user", "otto", "-c", "start 10.9.9.9 all", "--json");
        assertThat(elsewhere.exitCode()).isEqualTo(1);
        assertThat(elsewhere.out()).contains("\"outcome\":\"FAILED\"").contains("not a machine of the world");
    }

    @Test
    void usageErrorsExitTwo() {
        Run bad = admin("annann", "--daemon", daemon, "--user", "ann", "-c", "reboot 127.0.0.2");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown command 'reboot'");

        assertThat(admin("annann", "--daemon", daemon, "-c", "list world").exitCode()).isEqualTo(2);
        assertThat(admin("annann", "--daemon", daemon, "--user", "ann", "--password", "annann").exitCode())
                .isEqualTo(2);
        // No password in the environment and no terminal to ask in (as under the test runner).
        Run noPassword = admin(null, "--daemon", daemon, "--user", "ann", "-c", "list world");
        assertThat(noPassword.exitCode()).isEqualTo(2);
        assertThat(noPassword.err()).contains(AdminCliCommand.PASSWORD_ENV);
    }

    @Test
    void aRefusedLoginExitsThree() {
        Run run = admin("wrong", "--daemon", daemon, "--user", "ann", "-c", "list world");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("login refused").contains("wrong user or password");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableDaemonExitsOne() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Run run = admin("annann", "--daemon", "127.0.0.1:" + port, "--user", "ann", "-c", "list world");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach the daemon");
    }

    @Test
    void watchPrintsEachRefreshUntilTheStreamEnds() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine line = new CommandLine(new AdminCliCommand(Map.of(AdminCliCommand.PASSWORD_ENV, "annann")))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> line.execute("--daemon", daemon,
                "--user", "ann", "-c", "watch", "--json"));

        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().lines().count() >= 1);
        server.refreshWatches();
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().lines().count() >= 2);
        out.toString().lines().limit(2).forEach(view -> assertThat(view).contains("\"regions\""));
        server.close();
        assertThat(exit.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void theShellCompletesVerbsIpsAndNames() throws Exception {
        AdminCompleter completer = new AdminCompleter();
        completer.learn(JSON.readTree("{\"regions\":[{\"name\":\"east\",\"machines\":[{\"ip\":\"127.0.0.2\","
                + "\"processes\":[{\"name\":\"gate\"},{\"name\":\"node\"}]}]}]}"));

        assertThat(completer.candidates(List.of())).contains("list", "start", "stop", "kill", "watch");
        assertThat(completer.candidates(List.of("list"))).containsExactly("world", "machine", "ip", "pid");
        assertThat(completer.candidates(List.of("list", "ip"))).containsExactly(LOCAL);
        assertThat(completer.candidates(List.of("stop"))).containsExactly(LOCAL);
        assertThat(completer.candidates(List.of("stop", LOCAL))).containsExactly("all", "gate", "node");
        assertThat(completer.candidates(List.of("stop", "10.0.0.1"))).containsExactly("all");
    }

    @Test
    void overHttpsTheDaemonsCaIsTrustedWithCa() throws Exception {
        AdminTlsFiles files = new AdminTlsFiles();
        start(config.withTls(files.tls()));

        for (String host : List.of("127.0.0.1", "localhost")) {
            Run run = admin("annann", "--daemon", "https://" + host + ":" + server.port(), "--ca",
                    files.caPem().toString(), "--user", "ann", "-c", "list world", "--json");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(JSON.readTree(run.out()).get("outcome").asText()).isEqualTo("OK");
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void withoutCaAnUntrustedCertificateIsOneLineNotATrace() throws Exception {
        start(config.withTls(new AdminTlsFiles().tls()));

        Run run = admin("annann", "--daemon", "https://127.0.0.1:" + server.port(), "--user", "ann", "-c",
                "list world");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("no TLS with the daemon at 127.0.0.1:")
                .contains("certification path").contains("--ca FILE");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefusedEvenWithItsCa() throws Exception {
        AdminTlsFiles elsewhere = new AdminTlsFiles("admin.elsewhere.example", null);
        start(config.withTls(elsewhere.tls()));

        Run run = admin("annann", "--daemon", "https://127.0.0.1:" + server.port(), "--ca",
                elsewhere.caPem().toString(), "--user", "ann", "-c", "list world");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("no TLS with the daemon at 127.0.0.1:")
                .contains("127.0.0.1");
    }

    @Test
    void aCaFileThatIsNoPemCertificateIsOneLine(@TempDir Path dir) throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        StringWriter err = new StringWriter();

        int code = Main.commandLine().setErr(new PrintWriter(err)).execute("admin", "--daemon",
                "https://127.0.0.1:" + server.port(), "--ca", notPem.toString(), "--user", "ann", "-c", "list world");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("switchboard admin: cannot read --ca " + notPem + " as PEM certificates");
    }

    @Test
    void aCaForPlainHttpIsAUsageError() throws Exception {
        Run run = admin("annann", "--daemon", daemon, "--ca", new AdminTlsFiles().caPem().toString(), "--user", "ann",
                "-c", "list world");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--ca is for an https:// daemon");
    }

    @Test
    void plainHttpOffLoopbackIsWarnedAboutAndLoopbackIsNot() {
        assertThat(AdminEndpoint.of("http://192.0.2.10:8889", null).plainTextWarning())
                .startsWith("warning: 192.0.2.10:8889 is reached over plain HTTP")
                .contains("the password and the session token cross the network in clear");
        assertThat(AdminEndpoint.of("192.0.2.10:8889", null).plainTextWarning()).isNotNull();
        assertThat(AdminEndpoint.of("127.0.0.1:8889", null).plainTextWarning()).isNull();
        assertThat(AdminEndpoint.of("http://localhost:8889", null).plainTextWarning()).isNull();
        assertThat(AdminEndpoint.of("https://192.0.2.10:8889", null).plainTextWarning()).isNull();

        Run loopback = admin("annann", "--daemon", "http://" + daemon, "--user", "ann", "-c", "list world");
        assertThat(loopback.exitCode()).isZero();
        assertThat(loopback.err()).isEmpty();
        assertThat(admin("annann", "--daemon", "ftp://" + daemon, "--user", "ann", "-c", "list world").err())
                .contains("--daemon is HOST:PORT, http://HOST:PORT or https://HOST:PORT");
    }

    @Test
    void adminIsACommandOfSwitchboard() {
        assertThat(Main.commandLine().getSubcommands()).containsKey("admin");
    }
}
