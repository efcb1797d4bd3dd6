package io.switchboard.resource;

import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client against a real manager that goes away and comes back on the same port with a changed config. */
class ResourceClientTest {
    @TempDir
    Path dir;
    private final ManualTicker ticker = new ManualTicker();
    private ServerSocket gate;
    private ResourceServer server;
    private ResourceClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        gate.close();
    }

    @Test
    void readsKvAndFollowsDependenciesThroughARestart() throws Exception {
        gate = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        TestConf.write(dir, gate.getLocalPort());
        server = start(0);
        int port = server.port();
        List<Map<String, List<ResourceEndpoint>>> changes = new CopyOnWriteArrayList<>();
        client = ResourceClient.builder(URI.create(server.address()), "gate").idc("sz").set("s2")
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                // A short wait: a connection the stopping manager leaves unanswered is given up after wait + margin.
                .wait(Duration.ofSeconds(1)).onChange(changes::add).build();

        assertThat(client.kv()).containsExactly(Map.entry("timeout", "30"));
        client.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> ids().equals(List.of("same_set", "same_idc", "far")));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.watches() == 1);

        server.close();
        long failuresBefore = client.failures();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.failures() > failuresBefore + 2);
        assertThat(ids()).containsExactly("same_set", "same_idc", "far");

        // While it is down, the operator drops the far group; the restarted manager counts its index anew.
        TestConf.file(dir, "idc_group.conf", java.nio.file.Files.readString(dir.resolve("idc_group.conf"))
                .replace("\"id\": \"far\"", "\"id\": \"far_gone\"").replace("\"sh\"", "\"sh2\""));
        server = start(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> ids().equals(List.of("same_set", "same_idc", "far_gone")));
        assertThat(changes).hasSize(2);
    }

    private List<String> ids() {
        return client.dependencies().getOrDefault("group", List.of()).stream().map(ResourceEndpoint::id).toList();
    }

    private ResourceServer start(int port) throws Exception {
        return ResourceServer.builder(dir).port(port).admin("127.0.0.1", -1).ticker(ticker).build().start();
    }
}
