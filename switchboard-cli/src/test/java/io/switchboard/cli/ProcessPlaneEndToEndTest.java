package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.daemon.Daemon;
import io.switchboard.daemon.DaemonConfig;
import io.switchboard.daemon.admin.AdminApiConfig;
import io.switchboard.daemon.link.RouterLinkSettings;
import io.switchboard.daemon.router.RouterServer;
import io.switchboard.daemon.router.RouterSettings;
import io.switchboard.daemon.supervisor.SupervisorConfig;
import io.switchboard.daemon.supervisor.SwitchboardLaunchPlan;
import io.switchboard.globaldb.redis.RedisGlobalDb;
import io.switchboard.protocol.Json;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The process plane end to end (issue 12): a world of two machines (127.0.0.2 and 127.0.0.3) imported into a real
 * redis-server with {@code switchboard globaldb}, a router and a daemon per machine, and a whole Switchboard cluster
 * (a ZooKeeper registry, a gate, a demo service node) plus a plain program, all real child processes, run, watched,
 * stopped and restarted through the admin API, commands for the other machine travelling through the router.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProcessPlaneEndToEndTest {
    private static final String PASSWORD = "plane-test-password";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String A = "127.0.0.2";
    private static final String B = "127.0.0.3";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private RedisServer redis;
    private RedisGlobalDb db;
    private int routerPort;
    private ProcessRuntime router;
    private Daemon daemonA;
    private Daemon daemonB;
    private int gatePort;

    @AfterEach
    void tearDown() throws Exception {
        // Stop every supervised process, then the daemons (which leave processes running when closed).
        for (Daemon daemon : new Daemon[]{daemonA, daemonB}) {
            if (daemon != null) {
                daemon.supervisor().stop("all").get(60, TimeUnit.SECONDS);
                daemon.close();
            }
        }
        if (router != null) {
            router.close();
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private int globaldb(String... args) {
        StringWriter out = new StringWriter();
        CommandLine line = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        CommandLine user = line.getSubcommands().get("globaldb").getSubcommands().get("user");
        if (user != null && user.getSubcommands().get("add") != null) {
            GlobalDbCommand.UserAdd add = user.getSubcommands().get("add").getCommand();
            add.target.env = Map.of(GlobalDbCommand.PASSWORD_ENV, PASSWORD);
        }
        int code = line.execute(args);
        assertThat(code).as("switchboard %s: %s", String.join(" ", args), out).isZero();
        return code;
    }

    private String world(int zkPort, int clusterPort, int demoPort, int sleeperPort) {
        String zk = "zk://" + A + ":" + zkPort + "/switchboard";
        return """
                {"east": {
                  "%1$s": [
                    {"type": "registry", "name": "registry", "host": "%1$s", "port": %3$d,
                     "args": ["--admin-port", "-1"]},
                    {"type": "gate", "name": "gate", "host": "%1$s", "port": %4$d,
                     "args": ["--registry", "%5$s", "--cluster-port", "%6$d", "--cluster-bind", "%1$s",
                              "--advertised-host", "%1$s",
                              "--admin-port", "-1"]}
                  ],
                  "%2$s": [
                    {"type": "service:demo", "name": "demo", "host": "%2$s", "port": %7$d,
                     "args": ["--registry", "%5$s", "--admin-port", "-1"]},
                    {"type": "cmd", "name": "sleeper", "host": "%2$s", "port": %8$d, "cmd": "sleep", "args": ["1000"]}
                  ]
                }}
                """.formatted(A, B, zkPort, gatePort, zk, clusterPort, demoPort, sleeperPort);
    }

    private Daemon startDaemon(String ip) throws Exception {
        Duration interval = Duration.ofMillis(500);
        SupervisorConfig supervisor = SupervisorConfig.builder(dir.resolve("logs-" + ip)).recordInterval(interval)
                .hungFactor(10).startSeconds(Duration.ofSeconds(1)).backoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .startGrace(Duration.ofSeconds(60)).build();
        SwitchboardLaunchPlan plan = SwitchboardLaunchPlan.ofClassPath(System.getProperty("java.class.path"),
                Main.class.getName(), List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), redis.uri(), interval);
        DaemonConfig config = new DaemonConfig(ip, AdminApiConfig.defaults(ip, 0),
                new java.net.InetSocketAddress("127.0.0.1", routerPort), Optional.empty(), plan, supervisor,
                RouterLinkSettings.defaults().withReconnect(Duration.ofMillis(100), Duration.ofMillis(500)), -1);
        return Daemon.start(config, RedisGlobalDb.connect(redis.uri()));
    }

    private ProcessRuntime startRouter() throws Exception {
        RouterServer server = new RouterServer(db, Optional.empty(),
                RouterSettings.defaults().withAddress("127.0.0.1", routerPort).withWorldRefresh(Duration.ofSeconds(1)));
        return ProcessRuntime.of(ProcessConfig.builder("router").admin("127.0.0.1", -1).build()).add(server).start();
    }

    private static AdminApiClient login(Daemon daemon, String ip, String user) throws Exception {
        AdminApiClient client = new AdminApiClient(ip + ":" + daemon.adminPort());
        client.login(user, PASSWORD.toCharArray());
        return client;
    }

    private static JsonNode ok(AdminApiClient admin, String line) throws Exception {
        JsonNode answer = admin.command(line);
        assertThat(answer.path("outcome").asText()).as("%s: %s", line, answer).isEqualTo("OK");
        return answer;
    }

    /** The row of process {@code name} in {@code list ip IP}. */
    private static JsonNode row(AdminApiClient admin, String ip, String name) throws Exception {
        for (JsonNode row : ok(admin, "list ip " + ip).path("data").path("processes")) {
            if (row.path("name").asText().equals(name)) {
                return row;
            }
        }
        throw new AssertionError(name + " is not listed on " + ip);
    }

    private boolean alive(AdminApiClient admin, String ip, String name) throws Exception {
        JsonNode row = row(admin, ip, name);
        return row.path("liveness").asText().equals("alive") && row.path("state").asText().equals("RUNNING");
    }

    private void echoThroughTheGate() {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://" + A + ":" + gatePort)).build();
            try {
                client.connect().get(10, TimeUnit.SECONDS);
                Response echo = client.request("demo.echo.say", Json.MAPPER.readTree("{\"via\":\"the plane\"}"))
                        .get(10, TimeUnit.SECONDS);
                assertThat(echo.isError()).as("%s", echo).isFalse();
            } finally {
                client.close().get(10, TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void anOperatorRunsWatchesStopsAndRestartsAWholeClusterOnTwoMachines() throws Exception {
        redis = RedisServer.start();
        closeables.add(redis);
        db = RedisGlobalDb.connect(redis.uri());
        closeables.add(db);
        gatePort = FreePort.next();
        routerPort = FreePort.next();
        Path worldFile = dir.resolve("world.json");
        Files.writeString(worldFile, world(FreePort.next(), FreePort.next(), FreePort.next(), FreePort.next()));

        globaldb("globaldb", "import", worldFile.toString(), "--globaldb", redis.uri());
        globaldb("globaldb", "user", "add", "olga", "--role", "operator", "--globaldb", redis.uri());
        globaldb("globaldb", "user", "add", "vic", "--role", "viewer", "--globaldb", redis.uri());

        router = startRouter();
        daemonA = startDaemon(A);
        daemonB = startDaemon(B);
        await().atMost(WAIT).until(() -> daemonA.link().isConnected() && daemonB.link().isConnected());

        // Both machines' processes come up by themselves and report through globaldb; the cluster serves.
        AdminApiClient olga = login(daemonA, A, "olga");
        await().atMost(WAIT).ignoreExceptions().until(() -> alive(olga, A, "registry") && alive(olga, A, "gate")
                && alive(olga, B, "demo") && alive(olga, B, "sleeper"));
        echoThroughTheGate();
        JsonNode machines = ok(olga, "list machine").path("data");
        assertThat(machines.toString()).contains(A).contains(B);
        assertThat(machines.findValuesAsText("reachable")).containsOnly("true");

        // A command for the other machine travels through the router: stop and start its service node.
        long demoPid = row(olga, B, "demo").path("pid").asLong();
        ok(olga, "stop " + B + " demo");
        await().atMost(WAIT).until(() -> ProcessHandle.of(demoPid).map(p -> !p.isAlive()).orElse(true));
        assertThat(row(olga, B, "demo").path("state").asText()).isEqualTo("STOPPED");
        ok(olga, "start " + B + " demo");
        await().atMost(WAIT).ignoreExceptions().until(() -> alive(olga, B, "demo"));
        echoThroughTheGate();

        // A viewer may look but not act, on any machine.
        AdminApiClient vic = login(daemonB, B, "vic");
        assertThat(row(vic, A, "gate").path("liveness").asText()).isEqualTo("alive");
        JsonNode refused = vic.command("stop " + A + " gate");
        assertThat(refused.path("outcome").asText()).isEqualTo("FORBIDDEN");
        assertThat(refused.path("exitCode").asInt()).isEqualTo(1);
        assertThat(alive(olga, A, "gate")).isTrue();

        // kill IP PID through the router: the program is killed and its daemon starts it again.
        long sleeperPid = row(olga, B, "sleeper").path("pid").asLong();
        ok(olga, "kill " + B + " " + sleeperPid);
        await().atMost(WAIT).ignoreExceptions().until(() -> alive(olga, B, "sleeper")
                && row(olga, B, "sleeper").path("pid").asLong() != sleeperPid);
        assertThat(ProcessHandle.of(sleeperPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        // The daemon of B restarts and adopts its running processes instead of starting them again.
        long demoBefore = row(olga, B, "demo").path("pid").asLong();
        long sleeperBefore = row(olga, B, "sleeper").path("pid").asLong();
        daemonB.close();
        daemonB = startDaemon(B);
        await().atMost(WAIT).until(() -> daemonB.link().isConnected());
        assertThat(daemonB.supervisor().status()).extracting(s -> s.pid())
                .containsExactlyInAnyOrder(demoBefore, sleeperBefore);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains("sleep 1000") && p.parent().map(q -> q.pid() == ProcessHandle.current().pid())
                .orElse(false)).count()).as("one sleeper").isEqualTo(1);

        // The router restarts on its port; the daemons find it again and commands travel once more.
        router.close();
        router = startRouter();
        await().atMost(WAIT).until(() -> daemonA.link().isConnected() && daemonB.link().isConnected());
        ok(olga, "stop " + B + " all");
        await().atMost(WAIT).until(() -> ProcessHandle.of(demoBefore).map(p -> !p.isAlive()).orElse(true)
                && ProcessHandle.of(sleeperBefore).map(p -> !p.isAlive()).orElse(true));
        assertThat(ok(olga, "list ip " + B).path("data").path("processes").findValuesAsText("state"))
                .containsOnly("STOPPED");
    }
}
