package io.switchboard.daemon.supervisor;

import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessSpec;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a child inherits of the daemon's environment. */
class SupervisedProcessEnvironmentTest {
    private static final ProcessKey KEY = new ProcessKey("r1", "127.0.0.1", "p");

    private static Map<String, String> daemonEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin");
        env.put("SWITCHBOARD_CLUSTER_SECRET", "the cluster secret, 32 bytes....");
        env.put("SWITCHBOARD_ADMIN_TOKEN", "token");
        env.put("SWITCHBOARD_PROCESS_KEY", "r1.127.0.0.1.daemon");
        return env;
    }

    @Test
    void aPlainProgramGetsNeitherTheClusterSecretNorTheAdminToken() {
        ProcessSpec cmd = new ProcessSpec("cmd", "p", null, 0, null, "sleep", List.of("1"), Map.of("A", "1"));
        Map<String, String> env = daemonEnvironment();

        SupervisedProcess.environment(env, cmd, KEY, new LaunchPlan.Launch(List.of("sleep", "1"), Map.of("A", "1")));

        assertThat(env).doesNotContainKeys("SWITCHBOARD_CLUSTER_SECRET", "SWITCHBOARD_ADMIN_TOKEN",
                "SWITCHBOARD_PROCESS_KEY").containsEntry("PATH", "/usr/bin").containsEntry("A", "1")
                .containsEntry(ProcessIdentity.SUPERVISED_ENV, KEY.toString());
    }

    @Test
    void aSwitchboardRoleStillInheritsTheClusterSecretAndTheAdminToken() {
        ProcessSpec gate = new ProcessSpec("gate", "p", "127.0.0.1", 7001, null, null, null, null);
        Map<String, String> env = daemonEnvironment();

        SupervisedProcess.environment(env, gate, KEY, new LaunchPlan.Launch(List.of("java"),
                Map.of("SWITCHBOARD_PROCESS_KEY", KEY.toString())));

        assertThat(env).containsEntry("SWITCHBOARD_CLUSTER_SECRET", "the cluster secret, 32 bytes....")
                .containsEntry("SWITCHBOARD_ADMIN_TOKEN", "token")
                .containsEntry("SWITCHBOARD_PROCESS_KEY", KEY.toString());
    }
}
