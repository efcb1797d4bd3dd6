package io.switchboard.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A process's runtime with the resource part: dependencies in {@code /health} and a gauge, kept current. */
class ResourcePartTest {
    @TempDir
    Path dir;
    private final ManualTicker ticker = new ManualTicker();
    private ServerSocket gate;
    private ResourceServer server;
    private ProcessRuntime runtime;

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (server != null) {
            server.close();
        }
        gate.close();
    }

    @Test
    void followsTheDependenciesFromStartToClose() throws Exception {
        gate = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        TestConf.write(dir, gate.getLocalPort());
        server = ResourceServer.builder(dir).port(0).admin("127.0.0.1", -1).ticker(ticker).build().start();
        ResourcePart part = new ResourcePart(ResourceClient.builder(URI.create(server.address()), "gate")
                .idc("sz").set("s2").wait(Duration.ofSeconds(1)));
        assertThat(part.client().kv()).containsEntry("timeout", "30");
        runtime = ProcessRuntime.of(ProcessConfig.builder("gate").admin("127.0.0.1", -1).build()).add(part).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> groupIds().equals(List.of("same_set", "same_idc", "far")));
        assertThat(gauge()).isEqualTo(3.0);
        JsonNode resource = runtime.health().get("resource");
        assertThat(resource.get("module").asText()).isEqualTo("gate");
        assertThat(resource.get("server").asText()).isEqualTo(server.address());

        TestConf.file(dir, "idc_group.conf", Files.readString(dir.resolve("idc_group.conf"))
                .replace("{ \"id\": \"far\", \"inner_ip\": \"10.0.2.1\", \"out_ip\": \"127.0.0.1\", \"port\": 10201 }",
                        ""));
        ticker.advance(ResourceServer.DEFAULT_RELOAD_EVERY);
        server.tick().sync();
        await().atMost(Duration.ofSeconds(10)).until(() -> groupIds().equals(List.of("same_set", "same_idc")));
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 2.0);
    }

    private List<String> groupIds() {
        List<String> ids = new ArrayList<>();
        runtime.health().path("resource").path("dependencies").path("group").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private double gauge() {
        return runtime.meters().get("switchboard.resource.dependency.endpoints").tag("dependency", "group").gauge()
                .value();
    }
}
