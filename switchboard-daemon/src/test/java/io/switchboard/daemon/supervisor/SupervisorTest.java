package io.switchboard.daemon.supervisor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.machine.ProcessState;
import io.switchboard.daemon.machine.ProcessStatus;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecord;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.globaldb.World;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The supervisor with real child processes, globaldb in memory and time moved by hand. */
class SupervisorTest {
    private static final String REGION = "r1";
    private static final String IP = "127.0.0.1";
    private static final LaunchPlan REAL = SwitchboardLaunchPlan.ofThisJvm(List.of(), "redis://127.0.0.1:1",
            Duration.ofSeconds(1));
    /** Plain programs launch as in production; roles run as {@code sleep <port>}, which never writes a record. */
    private static final LaunchPlan PLAN = (key, spec) -> spec.isCommand() ? REAL.launch(key, spec)
            : new LaunchPlan.Launch(List.of("sleep", Integer.toString(spec.port())), Map.of());

    @TempDir
    Path dir;
    private final InMemoryGlobalDb db = new InMemoryGlobalDb(1);
    private final FlakyGlobalDb flaky = new FlakyGlobalDb(db);
    private final ManualTime time = new ManualTime();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Supervisor> supervisors = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();

    @AfterEach
    void killChildren() {
        supervisors.forEach(Supervisor::close);
        others.forEach(Process::destroyForcibly);
        // Deepest first: a shell killed before its sleep would leave the sleep to init.
        List<ProcessHandle> descendants = new ArrayList<>(ProcessHandle.current().descendants().toList());
        Collections.reverse(descendants);
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static ProcessSpec sh(String name, String script) {
        return new ProcessSpec("cmd", name, null, 0, null, "sh", List.of("-c", script), Map.of("GREETING", "hello"));
    }

    private static ProcessSpec sleep(String name, int seconds) {
        return new ProcessSpec("cmd", name, null, 0, null, "sleep", List.of(Integer.toString(seconds)), null);
    }

    private static ProcessSpec role(String name, int port) {
        return new ProcessSpec("gate", name, "127.0.0.1", port, null, null, null, null);
    }

    private SupervisorConfig.Builder config() {
        return SupervisorConfig.builder(dir.resolve("logs")).startSeconds(Duration.ofSeconds(1)).startRetries(3)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).stopGrace(Duration.ofSeconds(12))
                .recordInterval(Duration.ofSeconds(1)).hungFactor(5).startGrace(Duration.ofSeconds(30))
                .autoStart(false);
    }

    private Supervisor supervisor(SupervisorConfig config, ProcessSpec... specs) {
        Supervisor supervisor = new Supervisor(new World.Machine(REGION, IP, List.of(specs)), flaky, PLAN, config, time,
                time, meters);
        supervisors.add(supervisor);
        return supervisor.start();
    }

    private static ProcessKey key(String name) {
        return new ProcessKey(REGION, IP, name);
    }

    private static ProcessStatus status(Supervisor supervisor, String name) {
        return supervisor.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static ProcessStatus awaitState(Supervisor supervisor, String name, ProcessState state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status(supervisor, name).state() == state);
        return status(supervisor, name);
    }

    private ProcessRecord record(String name) {
        return db.record(key(name)).orElseThrow();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The pids of this JVM's live children whose arguments are exactly {@code args}. */
    private static List<Long> childrenRunning(String... args) {
        return ProcessHandle.current().children().filter(child -> child.info().arguments()
                .map(actual -> List.of(actual).equals(List.of(args))).orElse(false)).map(ProcessHandle::pid).toList();
    }

    private static CommandResult done(CompletableFuture<CommandResult> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    @Test
    void startsARealProcessRecordsItAndStopsItForGood() throws Exception {
        Supervisor supervisor = supervisor(config().build(), sleep("app", 1000));
        assertThat(status(supervisor, "app").state()).isEqualTo(ProcessState.STOPPED);

        CompletableFuture<CommandResult> started = supervisor.start("app");
        long pid = awaitState(supervisor, "app", ProcessState.STARTING).pid();
        assertThat(alive(pid)).isTrue();
        assertThat(started).isNotDone(); // running only after startSeconds
        assertThat(record("app").pid()).isEqualTo(pid);
        assertThat(record("app").startCount()).isEqualTo(1);

        time.advance(Duration.ofSeconds(1));
        CommandResult result = done(started);
        assertThat(result.isOk()).isTrue();
        assertThat(result.data().get("state").asText()).isEqualTo("RUNNING");
        assertThat(result.data().get("pid").asLong()).isEqualTo(pid);
        assertThat(record("app").state()).isEqualTo("RUNNING");

        // The daemon writes a plain program's record each interval.
        time.advance(Duration.ofSeconds(1));
        await().until(() -> record("app").lastUpdate() == time.millis());
        assertThat(record("app").info().get("state").asText()).isEqualTo("RUNNING");
        assertThat(done(supervisor.start("app")).message()).contains("already running");

        CommandResult stopped = done(supervisor.stop("app"));
        assertThat(stopped.isOk()).isTrue();
        assertThat(alive(pid)).isFalse();
        assertThat(status(supervisor, "app").state()).isEqualTo(ProcessState.STOPPED);
        assertThat(status(supervisor, "app").pid()).isZero();
        assertThat(record("app").state()).isEqualTo("STOPPED");

        time.advance(Duration.ofMinutes(5));
        assertThat(status(supervisor, "app").state()).isEqualTo(ProcessState.STOPPED);
        assertThat(record("app").startCount()).isEqualTo(1);
        await().until(() -> ProcessHandle.current().children().noneMatch(child -> child.pid() == pid));
    }

    @Test
    void startAllAndStopAllActOnEveryProcess() throws Exception {
        Supervisor supervisor = supervisor(config().build(), sleep("a", 1000), sleep("b", 1001));
        SupervisorPart part = new SupervisorPart(supervisor);
        CompletableFuture<CommandResult> started = supervisor.start("all");
        awaitState(supervisor, "a", ProcessState.STARTING);
        awaitState(supervisor, "b", ProcessState.STARTING);
        time.advance(Duration.ofSeconds(1));
        CommandResult result = done(started);
        assertThat(result.isOk()).isTrue();
        assertThat(result.data()).hasSize(2);
        assertThat(supervisor.status()).extracting(ProcessStatus::state)
                .containsExactly(ProcessState.RUNNING, ProcessState.RUNNING);
        List<Long> pids = supervisor.status().stream().map(ProcessStatus::pid).toList();
        ObjectNode health = JsonNodeFactory.instance.objectNode();
        part.health(health);
        assertThat(health.at("/supervisor/processes/1/state").asText()).isEqualTo("RUNNING");
        assertThat(health.at("/supervisor/processes/1/pid").asLong()).isEqualTo(pids.get(1));
        assertThat(meters.get("switchboard.daemon.processes").tag("state", "RUNNING").gauge().value()).isEqualTo(2);

        assertThat(done(supervisor.stop("all")).isOk()).isTrue();
        assertThat(supervisor.status()).extracting(ProcessStatus::state)
                .containsExactly(ProcessState.STOPPED, ProcessState.STOPPED);
        assertThat(pids).noneMatch(SupervisorTest::alive);
    }

    @Test
    void anUnknownNameIsAFailedResult() throws Exception {
        Supervisor supervisor = supervisor(config().build(), sleep("a", 1000));
        CommandResult result = done(supervisor.stop("nope"));
        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.FAILED);
        assertThat(result.message()).contains("no process 'nope'");
        assertThat(supervisor.logTail("nope", 10)).isEmpty();
    }

    @Test
    void aProgramThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        Supervisor supervisor = supervisor(config().build(),
                sh("stubborn", "trap '' TERM; echo ready; while :; do sleep 1; done"));
        CompletableFuture<CommandResult> started = supervisor.start("stubborn");
        awaitState(supervisor, "stubborn", ProcessState.STARTING);
        time.advance(Duration.ofSeconds(1));
        long pid = done(started).data().get("pid").asLong();
        await().until(() -> supervisor.logTail("stubborn", 1).equals(List.of("ready")));

        CompletableFuture<CommandResult> stopped = supervisor.stop("stubborn");
        awaitState(supervisor, "stubborn", ProcessState.STOPPING);
        // SIGTERM went and was ignored: it lives on while the grace runs.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> alive(pid));
        time.advance(Duration.ofMillis(11_999));
        assertThat(alive(pid)).isTrue();
        assertThat(stopped).isNotDone();

        time.advance(Duration.ofMillis(1));
        assertThat(done(stopped).isOk()).isTrue();
        assertThat(alive(pid)).isFalse();
        ProcessStatus status = status(supervisor, "stubborn");
        assertThat(status.state()).isEqualTo(ProcessState.STOPPED);
        assertThat(status.detail()).contains("stopped by an operator").contains("137");
    }

    /** Live processes anywhere on the machine (not only this JVM's descendants) whose command line has {@code word}. */
    private static List<ProcessHandle> processesWith(String word) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(word)).orElse(false)
                || p.info().arguments().map(a -> List.of(a).contains(word)).orElse(false)).toList();
    }

    @Test
    void aStopTakesDownTheChildrenOfAWrapperThatDiesOfSigterm() throws Exception {
        String seconds = Long.toString(400_000 + ProcessHandle.current().pid() % 100_000);
        Supervisor supervisor = supervisor(config().build(), sh("wrapper", "sleep " + seconds + " & wait"));
        CompletableFuture<CommandResult> started = supervisor.start("wrapper");
        awaitState(supervisor, "wrapper", ProcessState.STARTING);
        time.advance(Duration.ofSeconds(1));
        assertThat(done(started).isOk()).isTrue();
        await().until(() -> !processesWith(seconds).isEmpty());

        try {
            assertThat(done(supervisor.stop("wrapper")).isOk()).isTrue();
            // Within the grace, from the SIGTERM alone: the test's clock has not moved.
            await().atMost(Duration.ofSeconds(5)).until(() -> processesWith(seconds).isEmpty());

            // An operator's kill of the wrapper takes its children with it too.
            CompletableFuture<CommandResult> again = supervisor.start("wrapper");
            long pid = awaitState(supervisor, "wrapper", ProcessState.STARTING).pid();
            await().until(() -> !processesWith(seconds).isEmpty());
            assertThat(done(supervisor.kill(pid)).isOk()).isTrue();
            awaitState(supervisor, "wrapper", ProcessState.BACKOFF);
            assertThat(done(again).isOk()).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> processesWith(seconds).isEmpty());
        } finally {
            processesWith(seconds).forEach(ProcessHandle::destroyForcibly); // would be init's: @AfterEach misses it
        }
    }

    @Test
    void aCrashLoopBacksOffLongerEachTimeThenIsFatalUntilAnOperatorStartsIt() throws Exception {
        Path flag = dir.resolve("healthy");
        Supervisor supervisor = supervisor(config().build(),
                sh("crashy", "echo attempt; test -f " + flag + " || exit 3; exec sleep 1000"));
        CommandResult first = done(supervisor.start("crashy"));
        assertThat(first.outcome()).isEqualTo(CommandResult.Outcome.FAILED);
        assertThat(first.message()).contains("exit code 3");
        assertThat(awaitState(supervisor, "crashy", ProcessState.BACKOFF).detail()).contains("in 1000 ms");
        assertThat(record("crashy").startCount()).isEqualTo(1);

        time.advance(Duration.ofMillis(999));
        assertThat(record("crashy").startCount()).isEqualTo(1);
        time.advance(Duration.ofMillis(1));
        await().until(() -> record("crashy").startCount() == 2
                && status(supervisor, "crashy").detail().contains("in 2000 ms"));
        assertThat(status(supervisor, "crashy").state()).isEqualTo(ProcessState.BACKOFF);
        assertThat(status(supervisor, "crashy").restarts()).isEqualTo(1);

        time.advance(Duration.ofMillis(1999));
        assertThat(record("crashy").startCount()).isEqualTo(2);
        time.advance(Duration.ofMillis(1));
        ProcessStatus fatal = awaitState(supervisor, "crashy", ProcessState.FATAL);
        assertThat(fatal.restarts()).isEqualTo(2);
        assertThat(fatal.detail()).contains("3 times in a row");
        assertThat(record("crashy").startCount()).isEqualTo(3);
        assertThat(record("crashy").state()).isEqualTo("FATAL");
        assertThat(meters.get("switchboard.daemon.process.fatal").tag("process", "crashy").counter().count())
                .isEqualTo(1);

        time.advance(Duration.ofMinutes(10));
        assertThat(record("crashy").startCount()).isEqualTo(3);
        assertThat(status(supervisor, "crashy").state()).isEqualTo(ProcessState.FATAL);

        Files.createFile(flag);
        CompletableFuture<CommandResult> revived = supervisor.start("crashy");
        awaitState(supervisor, "crashy", ProcessState.STARTING);
        time.advance(Duration.ofSeconds(1));
        assertThat(done(revived).isOk()).isTrue();
        ProcessStatus running = status(supervisor, "crashy");
        assertThat(running.state()).isEqualTo(ProcessState.RUNNING);
        assertThat(running.restarts()).isZero();
        assertThat(alive(running.pid())).isTrue();
        await().until(() -> supervisor.logTail("crashy", 10).equals(Collections.nCopies(4, "attempt")));
    }

    @Test
    void killedProcessRestartsAsAfterACrashAndOnlyOwnPidsAreKilled() throws Exception {
        Supervisor supervisor = supervisor(config().build(), sleep("app", 1000));
        CompletableFuture<CommandResult> started = supervisor.start("app");
        awaitState(supervisor, "app", ProcessState.STARTING);
        time.advance(Duration.ofSeconds(1));
        long pid = done(started).data().get("pid").asLong();

        CommandResult foreign = done(supervisor.kill(ProcessHandle.current().pid()));
        assertThat(foreign.outcome()).isEqualTo(CommandResult.Outcome.FAILED);
        assertThat(foreign.message()).contains("not a running process this daemon supervises");

        assertThat(done(supervisor.kill(pid)).isOk()).isTrue();
        ProcessStatus backoff = awaitState(supervisor, "app", ProcessState.BACKOFF);
        assertThat(alive(pid)).isFalse();
        assertThat(backoff.detail()).contains("killed by an operator");

        time.advance(Duration.ofSeconds(1));
        long again = awaitState(supervisor, "app", ProcessState.STARTING).pid();
        assertThat(again).isNotEqualTo(pid);
        time.advance(Duration.ofSeconds(1));
        ProcessStatus running = awaitState(supervisor, "app", ProcessState.RUNNING);
        assertThat(running.restarts()).isEqualTo(1);
        assertThat(running.startCount()).isEqualTo(2);
        assertThat(meters.get("switchboard.daemon.process.restarts").tag("process", "app").counter().count())
                .isEqualTo(1);
    }

    @Test
    void outputGoesToAFileThatIsRotatedUnderTheRunningChild() throws Exception {
        Path go = dir.resolve("go");
        Supervisor supervisor = supervisor(config().logRotation(500, 2, Duration.ofSeconds(10)).build(),
                sh("talker", "echo $GREETING; i=0; while [ $i -lt 100 ]; do echo line-$i; i=$((i+1)); done; "
                        + "echo oops >&2; while [ ! -f " + go + " ]; do sleep 0.05; done; echo after; exec sleep 1000"));
        supervisor.start("talker");
        await().until(() -> supervisor.logTail("talker", 2).equals(List.of("line-99", "oops")));
        Path log = dir.resolve("logs/talker.log");
        assertThat(Files.size(log)).isGreaterThan(500);

        time.advance(Duration.ofSeconds(10));
        Path rotated = dir.resolve("logs/talker.log.1");
        await().until(() -> Files.exists(rotated) && Files.size(log) == 0);
        assertThat(Files.readAllLines(rotated)).startsWith("hello", "line-0").endsWith("line-99", "oops");

        Files.createFile(go);
        await().until(() -> supervisor.logTail("talker", 5).equals(List.of("after")));
        // The child appends: its next line lands at the start of the truncated file, with no hole before it.
        assertThat(Files.readString(log)).isEqualTo("after\n");
    }

    @Test
    void aRoleWhoseRecordGoesStaleIsHungAndRestarted() throws Exception {
        Supervisor supervisor = supervisor(config().build(), role("gate1", 7001));
        CompletableFuture<CommandResult> started = supervisor.start("gate1");
        long pid = awaitState(supervisor, "gate1", ProcessState.STARTING).pid();
        time.advance(Duration.ofSeconds(1));
        assertThat(done(started).isOk()).isTrue();

        // The test plays the role's own writes: a start, then one record a second.
        db.recordStart(key("gate1"), pid, time.millis());
        for (int i = 0; i < 3; i++) {
            time.advance(Duration.ofSeconds(1));
            db.recordAlive(key("gate1"), pid, JsonNodeFactory.instance.objectNode().put("sessions", i),
                    time.millis());
        }
        // It stops writing: 5 s of silence is still within 5 × 1 s...
        time.advance(Duration.ofSeconds(5));
        await().during(Duration.ofMillis(200)).until(() -> status(supervisor, "gate1").state() == ProcessState.RUNNING);
        // ...one more second is not.
        time.advance(Duration.ofSeconds(1));
        ProcessStatus hung = awaitState(supervisor, "gate1", ProcessState.BACKOFF);
        assertThat(alive(pid)).isFalse();
        assertThat(hung.detail()).contains("hung: lastupdate 6000 ms old");
        assertThat(meters.get("switchboard.daemon.process.hung").tag("process", "gate1").counter().count())
                .isEqualTo(1);

        time.advance(Duration.ofSeconds(1));
        ProcessStatus restarted = awaitState(supervisor, "gate1", ProcessState.STARTING);
        assertThat(restarted.pid()).isNotEqualTo(pid);
        assertThat(alive(restarted.pid())).isTrue();
        assertThat(restarted.restarts()).isEqualTo(1);
        assertThat(restarted.detail()).contains("hung");
    }

    @Test
    void aRoleThatNeverWritesItsRecordIsHungAfterTheStartGrace() {
        Supervisor supervisor = supervisor(config().build(), role("gate1", 7002));
        supervisor.start("gate1");
        long pid = awaitState(supervisor, "gate1", ProcessState.STARTING).pid();
        time.advance(Duration.ofSeconds(1));
        awaitState(supervisor, "gate1", ProcessState.RUNNING);
        time.advance(Duration.ofSeconds(29));
        await().during(Duration.ofMillis(200)).until(() -> status(supervisor, "gate1").state() == ProcessState.RUNNING);
        time.advance(Duration.ofSeconds(1));
        assertThat(awaitState(supervisor, "gate1", ProcessState.BACKOFF).detail())
                .contains("hung: no globaldb record written in 31000 ms");
        assertThat(alive(pid)).isFalse();
    }

    @Test
    void aRestartedDaemonAdoptsItsRunningChildrenInsteadOfStartingThemAgain() throws Exception {
        SupervisorConfig config = config().autoStart(true).build();
        Supervisor first = supervisor(config, sleep("a", 1000), role("gate1", 7003));
        long a = awaitState(first, "a", ProcessState.STARTING).pid();
        long gate = awaitState(first, "gate1", ProcessState.STARTING).pid();
        db.recordStart(key("gate1"), gate, time.millis()); // as the role itself would
        time.advance(Duration.ofSeconds(1));
        awaitState(first, "a", ProcessState.RUNNING);
        awaitState(first, "gate1", ProcessState.RUNNING);
        first.close();
        assertThat(alive(a) && alive(gate)).isTrue();

        Supervisor second = supervisor(config, sleep("a", 1000), role("gate1", 7003));
        assertThat(second.status()).extracting(ProcessStatus::state)
                .containsExactly(ProcessState.RUNNING, ProcessState.RUNNING);
        assertThat(second.status()).extracting(ProcessStatus::pid).containsExactly(a, gate);
        assertThat(status(second, "a").detail()).contains("adopted");
        assertThat(record("a").startCount()).isEqualTo(1);
        assertThat(record("gate1").startCount()).isEqualTo(1);
        // No duplicate was started: one child runs each program.
        assertThat(childrenRunning("1000")).containsExactly(a);
        assertThat(childrenRunning("7003")).containsExactly(gate);

        // An adopted role is judged by its record as before: silent for more than 5 s is hung.
        time.advance(Duration.ofSeconds(6));
        assertThat(awaitState(second, "gate1", ProcessState.BACKOFF).detail()).contains("hung");
        assertThat(alive(gate)).isFalse();

        // An adopted child's exit is seen too.
        ProcessHandle.of(a).orElseThrow().destroyForcibly();
        assertThat(awaitState(second, "a", ProcessState.BACKOFF).detail()).contains("exited");
    }

    @Test
    void aLivePidInGlobaldbThatIsNotOurProcessIsNotAdopted() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "999").start();
        others.add(stranger);
        db.recordStart(key("a"), stranger.pid(), time.millis());
        db.recordState(key("a"), "RUNNING");

        Supervisor supervisor = supervisor(config().autoStart(true).build(), sleep("a", 1000));
        ProcessStatus started = awaitState(supervisor, "a", ProcessState.STARTING);
        assertThat(started.pid()).isNotEqualTo(stranger.pid());
        assertThat(alive(started.pid())).isTrue();
        assertThat(stranger.isAlive()).isTrue();
        assertThat(record("a").startCount()).isEqualTo(2);
    }

    @Test
    void aDeadPidIsStartedAfreshAndAProcessLeftStoppedStaysStopped() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        db.recordStart(key("a"), gone.pid(), time.millis());
        db.recordStart(key("b"), gone.pid(), time.millis());
        db.recordState(key("b"), "STOPPED");

        Supervisor supervisor = supervisor(config().autoStart(true).build(), sleep("a", 1000), sleep("b", 1001));
        assertThat(alive(awaitState(supervisor, "a", ProcessState.STARTING).pid())).isTrue();
        assertThat(status(supervisor, "b").state()).isEqualTo(ProcessState.STOPPED);
        assertThat(status(supervisor, "b").pid()).isZero();
    }

    @Test
    void aGlobaldbThatCannotAnswerNeitherBlocksAStartNorGetsAProcessKilled() throws Exception {
        flaky.down = true;
        Supervisor supervisor = supervisor(config().build(), role("gate1", 7004));
        CompletableFuture<CommandResult> started = supervisor.start("gate1");
        long pid = awaitState(supervisor, "gate1", ProcessState.STARTING).pid();
        time.advance(Duration.ofSeconds(1));
        assertThat(done(started).isOk()).isTrue();
        // No record can be read for minutes: that says nothing about the process.
        time.advance(Duration.ofMinutes(2));
        await().during(Duration.ofMillis(200)).until(() -> status(supervisor, "gate1").state() == ProcessState.RUNNING);

        // globaldb is back; the role writes once, then falls silent: hung, told by lastupdate since its start.
        flaky.down = false;
        db.recordStart(key("gate1"), pid, time.millis());
        time.advance(Duration.ofSeconds(6));
        assertThat(awaitState(supervisor, "gate1", ProcessState.BACKOFF).detail()).contains("hung: lastupdate");
        assertThat(alive(pid)).isFalse();
    }

    /** Every task queued on the supervisor's thread before this call has run when it returns. */
    private static void drained(Supervisor supervisor) throws Exception {
        done(supervisor.stop("no-such-process"));
    }

    @Test
    void aRoleIsNotJudgedHungByItsPreOutageRecordUntilGlobaldbHasAnsweredForAHungWindow() throws Exception {
        Supervisor supervisor = supervisor(config().build(), role("gate1", 7005));
        CompletableFuture<CommandResult> started = supervisor.start("gate1");
        long pid = awaitState(supervisor, "gate1", ProcessState.STARTING).pid();
        db.recordStart(key("gate1"), pid, time.millis());
        time.advance(Duration.ofSeconds(1));
        assertThat(done(started).isOk()).isTrue();
        for (int i = 0; i < 5; i++) {
            time.advance(Duration.ofSeconds(1));
            db.recordAlive(key("gate1"), pid, JsonNodeFactory.instance.objectNode(), time.millis());
        }
        // A 10 s outage: neither the daemon nor the role can reach globaldb.
        flaky.down = true;
        time.advance(Duration.ofSeconds(10));
        drained(supervisor);
        flaky.down = false;

        // Back: the record is 11 s old only because of the outage, not because the role hung.
        time.advance(Duration.ofSeconds(1));
        drained(supervisor);
        assertThat(status(supervisor, "gate1").state()).isEqualTo(ProcessState.RUNNING);
        time.advance(Duration.ofSeconds(3));
        drained(supervisor);
        assertThat(status(supervisor, "gate1").state()).isEqualTo(ProcessState.RUNNING);
        assertThat(alive(pid)).isTrue();

        // It never writes again: hung once globaldb has answered for 5 × 1 s.
        time.advance(Duration.ofSeconds(1));
        assertThat(awaitState(supervisor, "gate1", ProcessState.BACKOFF).detail()).contains("hung: lastupdate");
        assertThat(alive(pid)).isFalse();
    }

    @Test
    void aSlowGlobaldbDoesNotPileUpChecksAheadOfAnOperatorsStop() throws Exception {
        Supervisor supervisor = supervisor(config().build(), sleep("app", 1000));
        CompletableFuture<CommandResult> started = supervisor.start("app");
        awaitState(supervisor, "app", ProcessState.STARTING);
        time.advance(Duration.ofSeconds(1));
        assertThat(done(started).isOk()).isTrue();
        drained(supervisor);

        CountDownLatch release = new CountDownLatch(1);
        flaky.hold = release;
        int before = flaky.recordAliveCalls.get();
        CompletableFuture<CommandResult> stopped;
        try {
            time.advance(Duration.ofSeconds(1));
            await().until(() -> flaky.recordAliveCalls.get() == before + 1); // the check blocks in globaldb
            time.advance(Duration.ofSeconds(10)); // ten more periods while it is stuck
            stopped = supervisor.stop("app");
        } finally {
            flaky.hold = null;
            release.countDown();
        }
        assertThat(done(stopped).isOk()).isTrue();
        // The stuck check and at most one queued behind it ran before the stop, not one per period.
        assertThat(flaky.recordAliveCalls.get() - before).isLessThanOrEqualTo(2);
        assertThat(status(supervisor, "app").state()).isEqualTo(ProcessState.STOPPED);
    }

    @Test
    void aDaemonThatStartsWhileGlobaldbIsDownStartsNothingUntilItCanTellWhatRuns() {
        SupervisorConfig config = config().autoStart(true).build();
        Supervisor first = supervisor(config, sleep("a", 1000));
        long a = awaitState(first, "a", ProcessState.STARTING).pid();
        first.close();

        flaky.down = true;
        Supervisor second = supervisor(config, sleep("a", 1000));
        assertThat(status(second, "a").state()).isEqualTo(ProcessState.STOPPED);
        assertThat(status(second, "a").detail()).contains("waiting for globaldb");
        time.advance(Duration.ofSeconds(3));
        await().during(Duration.ofMillis(200)).until(() -> status(second, "a").state() == ProcessState.STOPPED);
        assertThat(childrenRunning("1000")).containsExactly(a);

        flaky.down = false;
        time.advance(Duration.ofSeconds(1));
        assertThat(awaitState(second, "a", ProcessState.RUNNING).pid()).isEqualTo(a);
        assertThat(childrenRunning("1000")).containsExactly(a);
    }
}
