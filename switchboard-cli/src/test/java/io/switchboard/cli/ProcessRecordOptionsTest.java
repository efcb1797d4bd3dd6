package io.switchboard.cli;

import io.switchboard.chat.ChatConfig;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecord;
import io.switchboard.globaldb.ProcessRecordPart;
import io.switchboard.globaldb.redis.RedisGlobalDb;
import io.switchboard.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code --globaldb}/{@code --process-key} and their environment: a real demo writes its record into real Redis. */
class ProcessRecordOptionsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void aDemoStartedWithTheDaemonsEnvironmentWritesItsRecordAndStaysHealthy() throws Exception {
        ProcessKey key = new ProcessKey("local", "127.0.0.2", "demo-" + UUID.randomUUID().toString().substring(0, 8));
        StringWriter out = new StringWriter();
        CommandLine root = Main.commandLine().setOut(new PrintWriter(out, true));
        DemoCommand demo = root.getSubcommands().get("demo").getCommand();
        demo.records.env = Map.of(ProcessRecordOptions.GLOBALDB_ENV, redis.uri(), ProcessRecordOptions.KEY_ENV,
                key.toString(), ProcessRecordOptions.INTERVAL_ENV, "50");
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = new Thread(() -> exit.set(root.execute("demo", "--port", "0", "--admin-port", "0",
                "--host", "127.0.0.1", "--chat-db", ChatConfig.h2MemoryUrl("records-" + UUID.randomUUID()))),
                "demo-under-test");
        running.start();
        try (RedisGlobalDb db = RedisGlobalDb.connect(redis.uri())) {
            await().atMost(WAIT).until(() -> db.record(key).isPresent());
            ProcessRecord first = db.record(key).orElseThrow();
            assertThat(first.startCount()).isEqualTo(1);
            assertThat(first.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(demo.records.recordPart().interval()).isEqualTo(Duration.ofMillis(50));
            await().atMost(WAIT).until(() -> db.record(key).orElseThrow().lastUpdate() > first.lastUpdate());
            ProcessRecord later = db.record(key).orElseThrow();
            assertThat(later.startCount()).as("alive writes do not count starts").isEqualTo(1);
            assertThat(later.info().path("kind").asText()).isEqualTo("demo");
            assertThat(later.info().path("version").asText()).isEqualTo(Main.VERSION);
            assertThat(later.info().has("sessions")).isTrue();
            assertThat(later.info().path("heapUsed").asLong()).isPositive();

            await().atMost(WAIT).until(() -> out.toString().contains("admin on"));
            Matcher admin = Pattern.compile("admin on (http://127\\.0\\.0\\.1:\\d+)").matcher(out.toString());
            assertThat(admin.find()).isTrue();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(admin.group(1) + "/health")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("globaldb");
        } finally {
            running.interrupt();
            running.join(WAIT.toMillis());
        }
        assertThat(running.isAlive()).as("the demo stops when its thread is interrupted").isFalse();
        assertThat(exit.get()).isZero();
        assertThat(demo.records.recordPart().isFailing()).isFalse();
    }

    private static ProcessRecordPart part(Map<String, String> env, String... args) {
        CommandLine root = Main.commandLine();
        CommandLine gate = root.getSubcommands().get("gate");
        GateCommand command = gate.getCommand();
        command.records.env = env;
        root.parseArgs(prepend("gate", args));
        CommandSpec spec = gate.getCommandSpec();
        ProcessRecordPart made = command.records.part(spec, "gate");
        if (made != null) {
            made.close();
        }
        return made;
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void optionsWinOverTheEnvironmentAndHalfASettingIsAUsageError() {
        Map<String, String> env = new HashMap<>(Map.of(ProcessRecordOptions.GLOBALDB_ENV, redis.uri()));
        assertThat(part(env)).as("an exported URL alone keeps no record").isNull();
        assertThat(part(Map.of())).isNull();

        ProcessRecordPart fromOptions = part(env, "--process-key", "east.10.0.0.1.gate-1", "--record-interval-ms",
                "250");
        assertThat(fromOptions.key()).isEqualTo(new ProcessKey("east", "10.0.0.1", "gate-1"));
        assertThat(fromOptions.interval()).isEqualTo(Duration.ofMillis(250));

        env.put(ProcessRecordOptions.KEY_ENV, "east.10.0.0.1.from-env");
        assertThat(part(env).interval()).isEqualTo(ProcessRecordPart.DEFAULT_INTERVAL);
        assertThat(part(env, "--process-key", "east.10.0.0.1.from-option").key().name()).isEqualTo("from-option");

        assertThatThrownBy(() -> part(Map.of(), "--process-key", "east.10.0.0.1.g"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("needs --globaldb");
        assertThatThrownBy(() -> part(Map.of(), "--globaldb", redis.uri()))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("need --process-key");
        assertThatThrownBy(() -> part(env, "--process-key", "nodots"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("not a process key");
        assertThatThrownBy(() -> part(env, "--record-interval-ms", "1"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("out of range");
        env.put(ProcessRecordOptions.INTERVAL_ENV, "soon");
        assertThatThrownBy(() -> part(env)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining(ProcessRecordOptions.INTERVAL_ENV + " is not a number");
        assertThatThrownBy(() -> part(Map.of(), "--globaldb", "http://x:1", "--process-key", "e.10.0.0.1.g"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("redis://");
    }

    @Test
    void everyProcessCommandTakesTheOptions() {
        for (String command : new String[] {"gate", "service", "demo", "registry", "resource"}) {
            StringWriter help = new StringWriter();
            assertThat(Main.commandLine().setOut(new PrintWriter(help)).execute(command, "--help")).isZero();
            assertThat(help.toString()).as(command).contains("--globaldb").contains("--process-key")
                    .contains("--record-interval-ms");
        }
    }
}
