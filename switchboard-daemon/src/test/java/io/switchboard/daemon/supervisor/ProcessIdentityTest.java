package io.switchboard.daemon.supervisor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessIdentityTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void kill() {
        started.forEach(Process::destroyForcibly);
    }

    private ProcessHandle run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        started.add(process);
        return process.toHandle();
    }

    private static LaunchPlan.Launch launch(String... command) {
        return new LaunchPlan.Launch(List.of(command), Map.of());
    }

    @Test
    void theProcessOfTheLaunchMatchesEvenThroughPathAndLinks() throws Exception {
        ProcessHandle sh = run("sh", "-c", "sleep 1000");
        assertThat(ProcessIdentity.mismatch(sh, launch("sh", "-c", "sleep 1000"))).isEmpty();
        ProcessHandle sleep = run("sleep", "1001");
        assertThat(ProcessIdentity.mismatch(sleep, launch("sleep", "1001"))).isEmpty();
    }

    @Test
    void otherArgumentsOrAnotherProgramDoNot() throws Exception {
        ProcessHandle sleep = run("sleep", "1002");
        assertThat(ProcessIdentity.mismatch(sleep, launch("sleep", "1003"))).get().asString().contains("1002");
        assertThat(ProcessIdentity.mismatch(sleep, launch("tail", "1002"))).get().asString().contains("not tail");
        assertThat(ProcessIdentity.mismatch(ProcessHandle.current(), launch("sleep", "1002"))).isPresent();
    }
}
