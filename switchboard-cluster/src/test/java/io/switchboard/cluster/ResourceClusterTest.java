package io.switchboard.cluster;

import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.registry.Registries;
import io.switchboard.registry.Registry;
import io.switchboard.resource.ResourceServer;
import io.switchboard.testing.FreePort;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The cluster scenarios on the resource manager's static topology ({@code resource://}), each process with its own
 * registry client: gates {@code gate-1} and {@code gate-2} are probed endpoints matched by their client port (the
 * endpoints are called {@code g1} and {@code g2}); the demo nodes are {@code service_list} endpoints matched by id.
 * The manager runs on a manual ticker; a probe round follows each gate's start.
 */
class ResourceClusterTest extends ClusterScenarios {
    private static final int GAP_SECONDS = 1;
    private static final List<String> DEMO_IDS = List.of("demo-1", "demo-2", "demo-busy", "demo-idle", "demo-v1",
            "demo-v2");

    @TempDir
    Path conf;
    private final ManualTicker ticker = new ManualTicker();
    private final Map<String, Integer> gatePorts = Map.of("gate-1", FreePort.next(), "gate-2", FreePort.next());
    private ResourceServer manager;

    @BeforeEach
    void startManager() throws Exception {
        writeConf();
        // Closed last, after the processes have left it.
        manager = closeLater(ResourceServer.builder(conf).port(0).admin("127.0.0.1", -1).ticker(ticker).build()
                .start());
        // The first round goes out at the start, to ports nothing listens on yet.
        await().atMost(WAIT).until(() -> manager.probesCompleted() == 2);
    }

    @Override
    Registry registry() {
        return Registries.open("resource://127.0.0.1:" + manager.port());
    }

    @Override
    boolean registriesPerProcess() {
        return true;
    }

    @Override
    int gatePort(String id) {
        return gatePorts.getOrDefault(id, 0);
    }

    /** Starts the gate, then a probe round finds its port answering, so the cluster sees it. */
    @Override
    ClusterGate gate(String id) throws Exception {
        ClusterGate gate = super.gate(id);
        long before = manager.probesCompleted();
        ticker.advance(Duration.ofSeconds(GAP_SECONDS));
        manager.tick().sync();
        await().atMost(WAIT).until(() -> manager.probesCompleted() == before + 2);
        await().atMost(WAIT).until(() -> gateRegistry(gate).node(id).isPresent());
        return gate;
    }

    @Test
    void aProcessTheTopologyDoesNotListIsRefusedAtStart() {
        assertThatThrownBy(() -> node("demo-9"))
                .hasRootCauseInstanceOf(SwitchboardException.class)
                .rootCause().satisfies(cause -> {
                    assertThat(((SwitchboardException) cause).errorCode()).isEqualTo(RegistryErrors.NOT_IN_TOPOLOGY);
                    assertThat(cause.getMessage()).contains("module 'demo'", "demo-9");
                });
        // A gate on a port the idc file does not name is refused the same way, naming the address it advertised.
        assertThatThrownBy(() -> super.gate("gate-9"))
                .rootCause().isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("module 'gate'").hasMessageContaining("tcp://127.0.0.1:");
    }

    @Test
    void nodeIdsComeFromTheConfigAndStayAcrossRestarts() throws Exception {
        ClusterGate gate = gate("gate-2");
        ServiceNode node = node("demo-2");
        awaitLinked(List.of(gate), List.of(node));
        assertThat(gate.nodeId()).as("g2, second endpoint of the config").isEqualTo(1);
        assertThat(node.nodeId()).as("after g1, g2 and demo-1").isEqualTo(3);
        assertThat(answer(client(gate).request("demo.echo.say", json("{\"n\":1}"))).json())
                .isEqualTo(json("{\"n\":1}"));

        node.close();
        await().atMost(WAIT).until(() -> gateRegistry(gate).node("demo-2").isEmpty());
        ServiceNode again = node("demo-2");
        awaitLinked(List.of(gate), List.of(again));
        assertThat(again.nodeId()).isEqualTo(3);
    }

    private void writeConf() throws IOException {
        file("module.conf", """
                { "module_list": [
                    { "module": "gate", "depend_file": "depend_gate.conf", "idc_file": "idc_gate.conf",
                      "kv_file": "kv_gate.conf" },
                    { "module": "demo", "depend_file": "depend_demo.conf", "idc_file": "idc_demo.conf",
                      "kv_file": "kv_demo.conf" } ] }
                """);
        for (String module : List.of("gate", "demo")) {
            file("depend_" + module + ".conf", "{ \"module\": \"" + module + "\", \"depend_list\": [] }");
            file("kv_" + module + ".conf", "{ \"module\": \"" + module + "\", \"kv_list\": [] }");
        }
        file("idc_gate.conf", """
                { "module": "gate", "idc_list": [ { "idc": "local", "set_list": [ { "set": "s1",
                    "heartbeat": { "heartbeat_ip": "inner_ip", "heartbeat_gap": %d, "lose_time": 1,
                                   "recover_time": 1 },
                    "heartbeat_list": [
                        { "id": "g1", "inner_ip": "127.0.0.1", "out_ip": "127.0.0.1", "port": %d },
                        { "id": "g2", "inner_ip": "127.0.0.1", "out_ip": "127.0.0.1", "port": %d } ] } ] } ] }
                """.formatted(GAP_SECONDS, gatePorts.get("gate-1"), gatePorts.get("gate-2")));
        StringBuilder demos = new StringBuilder();
        int port = 10401;
        for (String id : DEMO_IDS) {
            demos.append(demos.isEmpty() ? "" : ",\n").append("{ \"id\": \"").append(id)
                    .append("\", \"inner_ip\": \"127.0.0.1\", \"out_ip\": \"127.0.0.1\", \"port\": ").append(port++)
                    .append(" }");
        }
        file("idc_demo.conf", """
                { "module": "demo", "idc_list": [ { "idc": "local", "set_list": [ { "set": "s1",
                    "service_list": [ %s ] } ] } ] }
                """.formatted(demos));
    }

    private void file(String name, String text) throws IOException {
        Files.writeString(conf.resolve(name), text);
    }
}
