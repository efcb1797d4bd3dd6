package io.switchboard.daemon.supervisor;

import io.switchboard.globaldb.ProcessKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessIdentityTest {
    private static final ProcessKey KEY = new ProcessKey("r1", "10.0.0.1", "app");
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void kill() {
        // What they started first: a child killed before its own children would leave them to init.
        started.forEach(process -> process.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    private ProcessHandle run(String... command) throws Exception {
        return run(Map.of(), command);
    }

    private ProcessHandle run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process.toHandle();
    }

    private static LaunchPlan.Launch launch(String... command) {
        return new LaunchPlan.Launch(List.of(command), Map.of());
    }

    @Test
    void theProcessOfTheLaunchMatchesEvenThroughPathAndLinks() throws Exception {
        ProcessHandle sh = run("sh", "-c", "sleep 1000");
        assertThat(ProcessIdentity.mismatch(sh, KEY, launch("sh", "-c", "sleep 1000"))).isEmpty();
        ProcessHandle sleep = run("sleep", "1001");
        assertThat(ProcessIdentity.mismatch(sleep, KEY, launch("sleep", "1001"))).isEmpty();
    }

    @Test
    void otherArgumentsOrAnotherProgramDoNot() throws Exception {
        ProcessHandle sleep = run("sleep", "1002");
        assertThat(ProcessIdentity.mismatch(sleep, KEY, launch("sleep", "1003"))).get().asString().contains("1002");
        assertThat(ProcessIdentity.mismatch(sleep, KEY, launch("tail", "1002"))).get().asString().contains("not tail");
        assertThat(ProcessIdentity.mismatch(ProcessHandle.current(), KEY, launch("sleep", "1002"))).isPresent();
    }

    @Test
    void aChildMarkedWithItsKeyIsOursWhateverItsCommandLine() throws Exception {
        // As after an upgrade that moved the jar: the launch differs, the mark in its environment does not.
        ProcessHandle marked = run(Map.of(ProcessIdentity.SUPERVISED_ENV, KEY.toString()), "sleep", "1004");
        assertThat(ProcessIdentity.mismatch(marked, KEY, launch("sleep", "1005"))).isEmpty();
        ProcessKey other = new ProcessKey("r1", "10.0.0.1", "ap");
        assertThat(ProcessIdentity.mismatch(marked, other, launch("sleep", "1005"))).isPresent();
    }
}
