package io.switchboard.resource;

import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.NodeState;
import io.switchboard.registry.Registration;
import io.switchboard.registry.Registries;
import io.switchboard.registry.Registry;
import io.switchboard.registry.RegistryEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code resource://} registry against a real manager on a manual ticker (see {@link TestConf}: gate {@code g1}
 * is probed on a loopback socket, group's {@code far}, {@code same_idc} and {@code same_set} are served unprobed).
 */
class ResourceRegistryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final ManualTicker ticker = new ManualTicker();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ServerSocket gate;
    private int gatePort;
    private ResourceServer server;

    @BeforeEach
    void start() throws Exception {
        gate = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        gatePort = gate.getLocalPort();
        TestConf.write(dir, gatePort);
        server = startServer(0, null);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        server.close();
        gate.close();
    }

    @Test
    void aProbedProcessIsListedWhileItsEndpointIsUp() throws Exception {
        Registry own = open();
        Registry other = open();
        List<RegistryEvent> events = new CopyOnWriteArrayList<>();
        other.watch(events::add, Runnable::run);
        // Matched by its advertised address: the endpoint's id is g1, the process calls itself gate-1.
        Registration registration = own.register(NodeInfo.builder("gate-1", "gate")
                .address(NodeInfo.CLIENT_ADDRESS, "tcp://127.0.0.1:" + gatePort).build()).join();
        assertThat(registration.nodeId()).as("g1 is the first endpoint of the config").isZero();
        await().atMost(WAIT).until(() -> events.size() == 1);
        assertThat(events.get(0).type()).isEqualTo(RegistryEvent.Type.ADDED);
        assertThat(events.get(0).node().nodeId()).isZero();
        assertThat(events.get(0).node().address(NodeInfo.CLIENT_ADDRESS)).contains("tcp://127.0.0.1:" + gatePort);

        gate.close();
        TestConf.probeRound(server, ticker, 1);
        assertThat(other.nodes()).as("one failure of lose_time 2").hasSize(1);
        TestConf.probeRound(server, ticker, 1);
        await().atMost(WAIT).until(() -> events.size() == 2);
        assertThat(events.get(1).type()).isEqualTo(RegistryEvent.Type.REMOVED);
        assertThat(own.nodes()).isEmpty();

        gate = new ServerSocket();
        gate.setReuseAddress(true);
        gate.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), gatePort), 100);
        TestConf.probeRound(server, ticker, 1);
        TestConf.probeRound(server, ticker, 1);
        await().atMost(WAIT).until(() -> events.size() == 3);
        assertThat(events.get(2).type()).isEqualTo(RegistryEvent.Type.ADDED);
        assertThat(events.get(2).node().id()).isEqualTo("gate-1");
    }

    @Test
    void recordsReachTheOthersAndLeaveOnDeregistration() throws Exception {
        Registry own = open();
        Registry other = open();
        List<RegistryEvent> events = new CopyOnWriteArrayList<>();
        other.watch(events::add, Runnable::run);
        Registration registration = own.register(NodeInfo.builder("same_idc", "group").build()).join();
        assertThat(registration.nodeId()).as("after g1 and far").isEqualTo(2);
        await().atMost(WAIT).until(() -> events.size() == 1);

        registration.update(info -> info.withMetadata("linkedAllGates", "true").withState(NodeState.DRAINING))
                .join();
        await().atMost(WAIT).until(() -> events.size() == 2);
        assertThat(events.get(1).type()).isEqualTo(RegistryEvent.Type.UPDATED);
        assertThat(events.get(1).node().metadata()).containsEntry("linkedAllGates", "true");
        assertThat(events.get(1).node().state()).isEqualTo(NodeState.DRAINING);
        assertThat(events.get(1).node().nodeId()).isEqualTo(2);

        registration.deregister().join();
        await().atMost(WAIT).until(() -> events.size() == 3);
        assertThat(events.get(2).type()).isEqualTo(RegistryEvent.Type.REMOVED);
        assertThat(registration.update(info -> info.withMetadata("late", "yes")))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOfSatisfying(
                        SwitchboardException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.NOT_REGISTERED));
    }

    @Test
    void theTopologyShowsTheProcessOnItsEndpointAndItsWatchWakesWhenOneComesOrGoes() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> before = topology(http, "");
        assertThat(processOn(before, "same_idc").isNull()).as("a service_list endpoint with nobody on it").isTrue();
        long index = Long.parseLong(before.headers().firstValue("X-Switchboard-Index").orElseThrow());
        var watch = http.sendAsync(topologyRequest("?index=" + index + "&wait=30s"),
                HttpResponse.BodyHandlers.ofString());

        Registration registration = open().register(NodeInfo.builder("same_idc", "group").build()).join();
        JsonNode process = processOn(watch.get(10, TimeUnit.SECONDS),
                "same_idc");
        assertThat(process.get("id").asText()).isEqualTo("same_idc");
        assertThat(process.get("node_id").asInt()).isEqualTo(2);
        assertThat(process.get("state").asText()).isEqualTo("serving");

        registration.deregister().join();
        await().atMost(WAIT).until(() -> processOn(topology(http, ""), "same_idc").isNull());
    }

    private HttpRequest topologyRequest(String query) {
        return HttpRequest.newBuilder(URI.create(server.address() + "/v1/topology" + query)).timeout(WAIT.plusSeconds(30))
                .build();
    }

    private HttpResponse<String> topology(HttpClient http, String query) throws Exception {
        return http.send(topologyRequest(query), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code process} of endpoint {@code id} in a topology answer. */
    private static JsonNode processOn(HttpResponse<String> answer, String id)
            throws Exception {
        JsonNode body = new ObjectMapper()
                .readTree(answer.body());
        for (var module : body.get("modules")) {
            for (var idc : module.get("idcs")) {
                for (var set : idc.get("sets")) {
                    for (var endpoint : set.get("endpoints")) {
                        if (endpoint.get("id").asText().equals(id)) {
                            return endpoint.get("process");
                        }
                    }
                }
            }
        }
        throw new AssertionError("no endpoint " + id + " in " + answer.body());
    }

    @Test
    void aProcessTheConfigDoesNotListIsRefusedWithWhatWasLookedFor() {
        Registry registry = open();
        assertThat(registry.register(NodeInfo.builder("group-9", "group")
                        .address(NodeInfo.CLUSTER_ADDRESS, "127.0.0.1:1").build()))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOfSatisfying(
                        SwitchboardException.class, e -> {
                            assertThat(e.errorCode()).isEqualTo(RegistryErrors.NOT_IN_TOPOLOGY);
                            assertThat(e.getMessage()).contains("module 'group'", "group-9", "127.0.0.1:1");
                        });
        assertThat(registry.register(NodeInfo.builder("chat-1", "chat").build()))
                .failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOfSatisfying(
                        SwitchboardException.class, e -> {
                            assertThat(e.errorCode()).isEqualTo(RegistryErrors.NOT_IN_TOPOLOGY);
                            assertThat(e.getMessage()).contains("module 'chat' is not in module.conf");
                        });
    }

    @Test
    void nodeIdsComeFromTheConfigAndSurviveARestartOfTheManager() throws Exception {
        Registry own = open();
        Registration registration = own.register(NodeInfo.builder("same_set", "group").build()).join();
        assertThat(registration.nodeId()).isEqualTo(3);
        int port = server.port();

        server.close();
        server = startServer(port, null);
        // The registry finds the manager restarted and registers again; a newcomer sees the same node id.
        Registry other = open();
        await().atMost(WAIT).until(() -> other.node("same_set").map(NodeInfo::nodeId).orElse(-1) == 3);
        Registration again = open().register(NodeInfo.builder("far", "group").build()).join();
        assertThat(again.nodeId()).isEqualTo(1);
    }

    @Test
    void withATokenWritesNeedIt() throws Exception {
        int port = server.port();
        server.close();
        server = startServer(port, "s3cret");
        assertThat(open().register(NodeInfo.builder("far", "group").build()))
                .failsWithin(WAIT).withThrowableThat().havingCause().withMessageContaining("401");
        Registry trusted = closeLater(ResourceRegistry.builder(URI.create(server.address())).token("s3cret").open());
        assertThat(trusted.register(NodeInfo.builder("far", "group").build()).join().nodeId()).isEqualTo(1);

        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.address() + "/v1/registry/far?session=x"))
                .header("Authorization", "Bearer wrong")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(401);
    }

    @Test
    void anUnreachableManagerFailsTheOpen() throws Exception {
        int port = server.port();
        server.close();
        assertThatThrownBy(() -> Registries.open("resource://127.0.0.1:" + port))
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.REGISTRY_UNAVAILABLE));
    }

    private Registry open() {
        return closeLater(Registries.open("resource://127.0.0.1:" + server.port()));
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private ResourceServer startServer(int port, String token) throws Exception {
        ResourceServer started = ResourceServer.builder(dir).port(port).admin("127.0.0.1", -1).adminToken(token)
                .ticker(ticker).build().start();
        // The first probe of g1 goes out at the start: it is up once that answers.
        await().atMost(WAIT).until(() -> started.probesCompleted() == 1);
        return started;
    }
}
