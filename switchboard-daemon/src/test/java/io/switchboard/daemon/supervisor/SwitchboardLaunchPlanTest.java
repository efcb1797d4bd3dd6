package io.switchboard.daemon.supervisor;

import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwitchboardLaunchPlanTest {
    private final SwitchboardLaunchPlan plan = new SwitchboardLaunchPlan(Path.of("/opt/java/bin/java"),
            Path.of("/opt/switchboard.jar"), List.of("-Xmx256m"), "redis://10.0.0.1:6379", Duration.ofMillis(500));
    private final ProcessKey key = new ProcessKey("east", "10.0.0.2", "gate1");

    private LaunchPlan.Launch launch(String type, String host, int port, List<String> args, Map<String, String> env) {
        return plan.launch(key, new ProcessSpec(type, "gate1", host, port, null, null, args, env));
    }

    @Test
    void aGateRunsFromTheJarWithItsHostPortArgsAndTheRecordContract() {
        LaunchPlan.Launch launch = launch("gate", "10.0.0.2", 10101, List.of("--registry", "zk://10.0.0.1:12101"),
                Map.of("EXTRA", "1"));
        assertThat(launch.command()).containsExactly("/opt/java/bin/java", "-Xmx256m", "-jar", "/opt/switchboard.jar",
                "gate", "--host", "10.0.0.2", "--port", "10101", "--registry", "zk://10.0.0.1:12101");
        assertThat(launch.env()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SWITCHBOARD_GLOBALDB", "redis://10.0.0.1:6379",
                "SWITCHBOARD_PROCESS_KEY", "east.10.0.0.2.gate1",
                "SWITCHBOARD_RECORD_INTERVAL_MS", "500",
                "EXTRA", "1"));
    }

    @Test
    void aSpecCannotOverrideTheRecordContract() {
        LaunchPlan.Launch launch = launch("gate", "10.0.0.2", 10101, null, Map.of(
                "SWITCHBOARD_PROCESS_KEY", "east.10.0.0.9.other", "SWITCHBOARD_GLOBALDB", "redis://elsewhere:6379",
                "EXTRA", "1"));
        assertThat(launch.env()).containsEntry("SWITCHBOARD_PROCESS_KEY", "east.10.0.0.2.gate1")
                .containsEntry("SWITCHBOARD_GLOBALDB", "redis://10.0.0.1:6379").containsEntry("EXTRA", "1");
    }

    @Test
    void eachRoleGetsItsOwnOptions() {
        assertThat(launch("service:chat", "10.0.0.2", 7000, List.of("--registry", "zk://x"), null).command())
                .endsWith("-jar", "/opt/switchboard.jar", "service", "chat", "--registry", "zk://x");
        assertThat(launch("resource", "10.0.0.2", 12201, null, null).command())
                .endsWith("resource", "--bind", "10.0.0.2", "--port", "12201");
        assertThat(launch("registry", null, 0, null, null).command()).endsWith("-jar", "/opt/switchboard.jar",
                "registry");
        assertThat(launch("demo", "127.0.0.1", 10101, null, null).command())
                .endsWith("demo", "--host", "127.0.0.1", "--port", "10101");
    }

    @Test
    void aCmdRunsItsProgramWithoutTheRecordContract() {
        LaunchPlan.Launch launch = plan.launch(key, new ProcessSpec("cmd", "tool", null, 0, null, "/usr/bin/tool",
                List.of("-v"), Map.of("A", "b")));
        assertThat(launch.command()).containsExactly("/usr/bin/tool", "-v");
        assertThat(launch.env()).containsExactlyEntriesOf(Map.of("A", "b"));
    }

    @Test
    void anUnknownTypeOrACmdWithoutAProgramCannotLaunch() {
        assertThatThrownBy(() -> launch("gameserver", null, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown process type 'gameserver'");
        assertThatThrownBy(() -> launch("service:", null, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.launch(key, new ProcessSpec("cmd", "x", null, 0, null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 'cmd'");
    }

    @Test
    void byDefaultItRunsThisJvmsJava() {
        assertThat(SwitchboardLaunchPlan.thisJava()).exists();
    }
}
