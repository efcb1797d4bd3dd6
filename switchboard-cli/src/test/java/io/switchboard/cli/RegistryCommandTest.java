package io.switchboard.cli;

import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.redis.RedisGlobalDb;
import io.switchboard.testing.RedisServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code switchboard registry}: ZooKeeper in a process runtime, with the admin port and record of every kind. */
class RegistryCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern STARTED = Pattern.compile(
            "zk://127\\.0\\.0\\.1:(\\d+)/switchboard .*admin (http://127\\.0\\.0\\.1:\\d+)");
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Test
    void servesZooKeeperWithHealthAndARecordAndStopsWhenInterrupted() throws Exception {
        ProcessKey key = new ProcessKey("local", "127.0.0.2", "registry-" + UUID.randomUUID().toString().substring(0, 8));
        StringWriter out = new StringWriter();
        CommandLine root = Main.commandLine().setOut(new PrintWriter(out, true));
        RegistryCommand registry = root.getSubcommands().get("registry").getCommand();
        registry.records.env = Map.of(ProcessRecordOptions.GLOBALDB_ENV, redis.uri(), ProcessRecordOptions.KEY_ENV,
                key.toString(), ProcessRecordOptions.INTERVAL_ENV, "50");
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running = new Thread(() -> exit.set(root.execute("registry", "--port", "0", "--admin-port", "0")),
                "registry-under-test");
        running.start();
        int zkPort;
        try (RedisGlobalDb db = RedisGlobalDb.connect(redis.uri())) {
            await().atMost(WAIT).until(() -> STARTED.matcher(out.toString()).find());
            Matcher started = STARTED.matcher(out.toString());
            assertThat(started.find()).isTrue();
            zkPort = Integer.parseInt(started.group(1));

            try (CuratorFramework client = CuratorFrameworkFactory.newClient("127.0.0.1:" + zkPort,
                    new RetryOneTime(100))) {
                client.start();
                assertThat(client.blockUntilConnected((int) WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                client.create().forPath("/registry-test", "here".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(client.getData().forPath("/registry-test"), StandardCharsets.UTF_8))
                        .isEqualTo("here");
            }

            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(started.group(2) + "/health")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"kind\":\"registry\"")
                    .contains("\"zookeeper\":\"127.0.0.1:" + zkPort + "\"");

            await().atMost(WAIT).until(() -> db.record(key).isPresent()
                    && db.record(key).orElseThrow().info().path("kind").asText().equals("registry"));
        } finally {
            running.interrupt();
            running.join(WAIT.toMillis());
        }
        assertThat(running.isAlive()).as("the registry stops when its thread is interrupted").isFalse();
        assertThat(exit.get()).isZero();
        assertThatThrownBy(() -> new Socket("127.0.0.1", zkPort).close()).isInstanceOf(ConnectException.class);
    }
}
