package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.CommandResult.Outcome;
import io.switchboard.daemon.machine.ProcessState;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.globaldb.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Set;

import static io.switchboard.daemon.admin.TestWorld.LOCAL;
import static io.switchboard.daemon.admin.TestWorld.OTHER;
import static io.switchboard.daemon.admin.TestWorld.START;
import static io.switchboard.daemon.admin.TestWorld.WEST;
import static io.switchboard.daemon.admin.TestWorld.key;
import static org.assertj.core.api.Assertions.assertThat;

class CommandExecutorTest {
    private static final Caller VIEWER = new Caller("ann", Role.VIEWER);
    private static final Caller OPERATOR = new Caller("otto", Role.OPERATOR);
    private static final Caller ADMIN = new Caller("ada", Role.ADMIN);

    private final MutableClock clock = new MutableClock(START);
    private final FakeMachine machine = new FakeMachine();
    private final FakeRelay relay = new FakeRelay();
    private InMemoryGlobalDb db;
    private CommandExecutor executor;

    @BeforeEach
    void setUp() {
        db = TestWorld.globalDb();
        executor = new CommandExecutor(LOCAL, db, machine, relay, clock, Liveness.Rule.defaults());
    }

    private CommandResult run(Caller caller, String line) throws Exception {
        return executor.execute(caller, AdminCommand.parse(line)).get();
    }

    @Test
    void listWorldShowsRegionsMachinesAndProcessesWithLiveness() throws Exception {
        machine.set("gate", "gate", ProcessState.RUNNING, 4242, START - 60_000);
        machine.set("node", "service:demo", ProcessState.STOPPED, 0, 0);
        db.recordStart(key("east", LOCAL, "gate"), 4242, START - 60_000);
        TestWorld.alive(db, key("east", LOCAL, "gate"), 4242, 17, START - 500);
        db.recordState(key("east", LOCAL, "gate"), "RUNNING");
        db.recordStart(key("east", OTHER, "gate2"), 5151, START - 10_000);
        TestWorld.alive(db, key("east", OTHER, "gate2"), 5151, 3, START - 9_000);
        db.recordState(key("east", OTHER, "gate2"), "RUNNING");
        relay.connected = Set.of(OTHER);

        CommandResult result = run(VIEWER, "list world");

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        JsonNode regions = result.data().get("regions");
        assertThat(regions).extracting(r -> r.get("name").asText()).containsExactly("east", "west");
        JsonNode local = regions.get(0).get("machines").get(0);
        assertThat(local.get("ip").asText()).isEqualTo(LOCAL);
        assertThat(local.get("local").asBoolean()).isTrue();
        assertThat(local.get("reachable").asBoolean()).isTrue();
        JsonNode gate = local.get("processes").get(0);
        assertThat(gate.get("name").asText()).isEqualTo("gate");
        assertThat(gate.get("pid").asLong()).isEqualTo(4242);
        assertThat(gate.get("state").asText()).isEqualTo("RUNNING");
        assertThat(gate.get("liveness").asText()).isEqualTo("alive");
        assertThat(gate.get("uptimeMs").asLong()).isEqualTo(60_000);
        assertThat(gate.get("lastupdateAgeMs").asLong()).isEqualTo(500);
        assertThat(gate.get("sessions").asInt()).isEqualTo(17);
        assertThat(gate.get("heapUsed").asLong()).isEqualTo(64L << 20);
        assertThat(gate.get("startcount").asLong()).isEqualTo(1);
        assertThat(local.get("processes").get(1).get("liveness").asText()).isEqualTo("stopped");
        // The other machine's process is older than 5 × 1 s: hung, whatever its pid and state say.
        JsonNode gate2 = regions.get(0).get("machines").get(1).get("processes").get(0);
        assertThat(gate2.get("liveness").asText()).isEqualTo("hung");
        assertThat(gate2.get("state").asText()).isEqualTo("RUNNING");
        assertThat(gate2.get("pid").asLong()).isEqualTo(5151);
        JsonNode west = regions.get(1).get("machines").get(0);
        assertThat(west.get("reachable").asBoolean()).isFalse();
        assertThat(west.get("processes").get(0).get("state").asText()).isEqualTo("UNKNOWN");
        assertThat(west.get("processes").get(0).get("sessions").isNull()).isTrue();
    }

    @Test
    void livenessFollowsTheInjectedClockAtKTimesTheInterval() throws Exception {
        db.recordStart(key("east", OTHER, "gate2"), 5151, START);
        TestWorld.alive(db, key("east", OTHER, "gate2"), 5151, 0, START);
        clock.advance(Duration.ofMillis(5_000));
        assertThat(gate2(run(VIEWER, "list ip " + OTHER)).get("liveness").asText()).isEqualTo("alive");
        clock.advance(Duration.ofMillis(1));
        assertThat(gate2(run(VIEWER, "list ip " + OTHER)).get("liveness").asText()).isEqualTo("hung");
        db.recordState(key("east", OTHER, "gate2"), "STOPPED");
        assertThat(gate2(run(VIEWER, "list ip " + OTHER)).get("liveness").asText()).isEqualTo("stopped");
    }

    private static JsonNode gate2(CommandResult result) {
        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        return result.data().get("processes").get(0);
    }

    @Test
    void listMachineCountsProcessesByLivenessAndShowsReachability() throws Exception {
        TestWorld.alive(db, key("east", LOCAL, "gate"), 1, 0, START);
        machine.set("gate", "gate", ProcessState.RUNNING, 1, START);
        relay.connected = Set.of(WEST);

        JsonNode machines = run(VIEWER, "list machine").data().get("machines");

        assertThat(machines).extracting(m -> m.get("ip").asText()).containsExactly(LOCAL, OTHER, WEST);
        assertThat(machines.get(0).get("alive").asInt()).isEqualTo(1);
        assertThat(machines.get(0).get("stopped").asInt()).isEqualTo(1);
        assertThat(machines.get(0).get("processCount").asInt()).isEqualTo(2);
        assertThat(machines).extracting(m -> m.get("reachable").asBoolean()).containsExactly(true, false, true);
        assertThat(machines.get(0).has("processes")).isFalse();
    }

    @Test
    void listIpOfAnUnknownMachineFails() throws Exception {
        CommandResult result = run(VIEWER, "list ip 10.9.9.9");
        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.message()).isEqualTo("10.9.9.9 is not a machine of the world");
    }

    @Test
    void listPidFindsTheProcessAcrossTheWorld() throws Exception {
        TestWorld.alive(db, key("west", WEST, "worker"), 777, 0, START);

        CommandResult found = run(VIEWER, "list pid 777");
        assertThat(found.outcome()).isEqualTo(Outcome.OK);
        JsonNode row = found.data().get("processes").get(0);
        assertThat(row.get("name").asText()).isEqualTo("worker");
        assertThat(row.get("ip").asText()).isEqualTo(WEST);
        assertThat(row.get("region").asText()).isEqualTo("west");

        CommandResult none = run(VIEWER, "list pid 778");
        assertThat(none.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(none.message()).contains("no process of the world has pid 778");
    }

    @Test
    void watchIsTheWorldView() throws Exception {
        assertThat(run(VIEWER, "watch").data().get("regions")).isEqualTo(run(VIEWER, "list world").data()
                .get("regions"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"start 127.0.0.2 all", "stop 127.0.0.2 gate", "kill 127.0.0.2 4242",
            "stop 127.0.0.3 all", "start 10.9.9.9 all"})
    void aViewerMayNotChangeAnythingAndIsToldWhy(String line) throws Exception {
        CommandResult result = run(VIEWER, line);

        assertThat(result.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(result.message()).contains("ann").contains("viewer").contains(line);
        assertThat(machine.calls).isEmpty();
        assertThat(relay.sent).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"OPERATOR", "ADMIN"})
    void operatorsAndAdminsActOnThisMachine(Role role) throws Exception {
        Caller caller = role == Role.ADMIN ? ADMIN : OPERATOR;
        assertThat(run(caller, "start 127.0.0.2 all").outcome()).isEqualTo(Outcome.OK);
        assertThat(run(caller, "stop 127.0.0.2 gate").outcome()).isEqualTo(Outcome.OK);
        assertThat(run(caller, "kill 127.0.0.2 4242").outcome()).isEqualTo(Outcome.OK);
        assertThat(machine.calls).containsExactly("start all", "stop gate", "kill 4242");
        assertThat(relay.sent).isEmpty();
    }

    @Test
    void aCommandForAnotherMachineOfTheWorldTravelsThroughTheRouter() throws Exception {
        relay.connected = Set.of(OTHER);

        CommandResult result = run(OPERATOR, "stop 127.0.0.3 gate2");

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(result.data().get("relayed").asText()).isEqualTo("stop 127.0.0.3 gate2");
        assertThat(relay.sent).containsExactly("otto@127.0.0.3: stop 127.0.0.3 gate2");
        assertThat(machine.calls).isEmpty();
    }

    @Test
    void aMachineWhoseDaemonIsAwayIsUnreachable() throws Exception {
        CommandResult result = run(OPERATOR, "kill 127.0.0.4 99");
        assertThat(result.outcome()).isEqualTo(Outcome.UNREACHABLE);
        assertThat(result.outcome().exitCode()).isEqualTo(1);
    }

    @Test
    void aMachineThatThrowsIsAFailedResult() throws Exception {
        executor = new CommandExecutor(LOCAL, db, new FakeMachine() {
            @Override
            public java.util.concurrent.CompletableFuture<CommandResult> stop(String nameOrAll) {
                throw new IllegalStateException("supervisor closed");
            }
        }, relay, clock, Liveness.Rule.defaults());

        CommandResult result = run(OPERATOR, "stop 127.0.0.2 gate");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.message()).isEqualTo("'stop 127.0.0.2 gate' failed: supervisor closed");
    }

    @Test
    void anIpNotInTheWorldFailsWithTheReasonAndGoesNowhere() throws Exception {
        CommandResult result = run(ADMIN, "start 10.9.9.9 all");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.message()).isEqualTo("10.9.9.9 is not a machine of the world");
        assertThat(relay.sent).isEmpty();
        assertThat(machine.calls).isEmpty();
    }
}
