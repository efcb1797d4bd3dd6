package io.switchboard.cluster;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.cluster.protocol.FrameRejectReason;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.Registry;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cluster scenarios on one shared in-memory registry, plus admin and bad-input checks. */
class MemoryClusterTest extends ClusterScenarios {
    private final MemoryRegistry shared = new MemoryRegistry();

    @Override
    Registry registry() {
        return shared;
    }

    @Override
    boolean registriesPerProcess() {
        return false;
    }

    @org.junit.jupiter.api.AfterEach
    void closeShared() {
        shared.close();
    }

    @Test
    void adminListsTheClusterAndShutdownDrains() throws Exception {
        ClusterGate gate = gate("gate-1");
        ServiceNode node = node("demo-1");
        awaitLinked(List.of(gate), List.of(node));
        SwitchboardClient client = client(gate);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> cluster = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gate.adminPort() + "/cluster")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(cluster.statusCode()).isEqualTo(200);
        assertThat(json(cluster.body()).findValuesAsText("id")).containsExactlyInAnyOrder("gate-1", "demo-1");

        URI shutdownUri = URI.create("http://127.0.0.1:" + gate.adminPort() + "/shutdown");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(shutdownUri)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("admin writes need the token").isEqualTo(401);
        assertThat(gate.isDraining()).isFalse();
        HttpResponse<String> shutdown = http.send(HttpRequest.newBuilder(shutdownUri)
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(shutdown.statusCode()).isEqualTo(202);
        await().atMost(WAIT).until(gate::isDraining);
        assertThat(answer(client.request("demo.echo.say", json("{}"))).isError())
                .as("existing sessions are served while draining").isFalse();
        assertThat(exits).isEmpty();
        client.close().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> exits.contains("gate-1:0"));
        assertThat(gate.isClosed()).isTrue();
    }

    @Test
    void garbageOnTheClusterPortClosesThatLinkAndIsCounted() throws Exception {
        ClusterGate gate = gate("gate-1");
        ServiceNode node = node("demo-1");
        awaitLinked(List.of(gate), List.of(node));
        try (Socket socket = new Socket("127.0.0.1", gate.clusterPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\n\r\n".getBytes());
            out.flush();
            socket.setSoTimeout(10_000);
            // The gate writes its HELLO, then closes: read to the end.
            while (socket.getInputStream().read() >= 0) {
                // drain
            }
        }
        assertThat(gate.metrics().frameRejections().count(FrameRejectReason.BAD_HEAD)).isEqualTo(1);
        await().atMost(WAIT).until(() -> gate.metrics().linksClosed(LinkCloseReason.BAD_FRAME) == 1);
        assertThat(answer(client(gate).request("demo.echo.say", json("{}"))).isError())
                .as("the node's link is untouched").isFalse();
    }
}
