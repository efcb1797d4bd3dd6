package io.switchboard.globaldb;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link GlobalDb} does, whatever keeps it: one class, run against each store by a subclass. */
public abstract class GlobalDbContractTest {
    /** The lowest PBKDF2 cost a stored entry may name keeps the user tests fast; the cost is not what they test. */
    protected static final int ITERATIONS = PasswordHash.MIN_ITERATIONS;
    protected static final ProcessSpec GATE = new ProcessSpec("gate", "gate", "127.0.0.2", 3010, 2, null, null, null);
    protected static final ProcessSpec TOOL = new ProcessSpec("cmd", "tool", "127.0.0.3", 3020, null, "/bin/sleep",
            List.of("60"), Map.of("A", "1"));

    protected GlobalDb db;

    /** A fresh, empty store. */
    protected abstract GlobalDb newDb() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = newDb();
    }

    @AfterEach
    void closeDb() {
        db.close();
    }

    protected static World world(String region, String ip, ProcessSpec... specs) {
        return new World(Map.of(region, Map.of(ip, List.of(specs))));
    }

    /** The spec at another host, so that a world may hold it twice: a host:port is one process's. */
    protected static ProcessSpec at(String host, ProcessSpec spec) {
        return new ProcessSpec(spec.type(), spec.name(), host, spec.port(), spec.agentCount(), spec.cmd(),
                spec.args(), spec.env());
    }

    @Test
    void aNewStoreHasAnEmptyWorldNoUsersAndNoRecords() {
        assertThat(db.world().regions()).isEmpty();
        assertThat(db.users()).isEmpty();
        assertThat(db.records()).isEmpty();
        assertThat(db.record(new ProcessKey("east", "127.0.0.2", "gate"))).isEmpty();
    }

    @Test
    void theWorldReadsBackAsWrittenAndIsReplacedWhole() {
        World first = new World(Map.of(
                "east", Map.of("127.0.0.2", List.of(GATE), "127.0.0.3", List.of(TOOL)),
                "west", Map.of("10.0.0.1", List.of(at("10.0.0.1", GATE)))));
        db.replaceWorld(first);
        assertThat(db.world()).isEqualTo(first);
        assertThat(db.world().machine("127.0.0.3").orElseThrow().process("tool")).contains(TOOL);

        World second = world("north", "10.1.1.1", GATE);
        db.replaceWorld(second);
        assertThat(db.world()).isEqualTo(second);
        assertThat(db.world().machine("127.0.0.2")).isEmpty();

        db.replaceWorld(World.empty());
        assertThat(db.world().regions()).isEmpty();
    }

    @Test
    void aRegionWithoutMachinesStaysARegion() {
        World world = new World(Map.of("empty", Map.of(), "east", Map.of("127.0.0.2", List.of(GATE))));
        db.replaceWorld(world);
        assertThat(db.world()).isEqualTo(world);
    }

    @Test
    void aWorldAnImportWouldRefuseIsNotStoredAndTheWorldStaysAsItWas() {
        World good = world("east", "127.0.0.2", GATE);
        db.replaceWorld(good);
        Map<String, World> refused = new LinkedHashMap<>();
        refused.put("$['east']['127.0.0.2'][1].name: the name 'all' is reserved", world("east", "127.0.0.2", GATE,
                new ProcessSpec("gate", "all", "127.0.0.2", 3011, null, null, null, null)));
        refused.put("'SWITCHBOARD_PROCESS_KEY' is Switchboard's own variable", world("east", "127.0.0.2",
                new ProcessSpec("cmd", "tool", "127.0.0.2", 3020, null, "/bin/sleep", null,
                        Map.of("SWITCHBOARD_PROCESS_KEY", "east.10.0.0.9.other"))));
        refused.put("'10.0.0.300' is not a machine inner IPv4 address", world("east", "10.0.0.300", GATE));
        refused.put("port 0 is out of range 1-65535", world("east", "127.0.0.2", GATE,
                new ProcessSpec("cmd", "tool", "127.0.0.2", 0, null, "/bin/sleep", null, null)));
        refused.put("127.0.0.2:3010 is taken by east.127.0.0.2.gate already", world("east", "127.0.0.2", GATE,
                new ProcessSpec("registry", "registry", "127.0.0.2", 3010, null, null, null, null)));
        refused.put("region 'a.b' is not", world("a.b", "127.0.0.2", GATE));
        refused.forEach((problem, world) -> assertThatThrownBy(() -> db.replaceWorld(world))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing to store an invalid world in globaldb, 1 problem(s)")
                .hasMessageContaining(problem));
        assertThat(db.world()).isEqualTo(good);
    }

    @Test
    void usersAuthenticateWithTheirPasswordOnlyAndAReplacedUserTakesTheNewRole() {
        db.putUser("ann", "first-password".toCharArray(), Role.VIEWER);
        db.putUser("bob", "bobs-password".toCharArray(), Role.ADMIN);
        assertThat(db.authenticate("ann", "first-password".toCharArray())).contains(Role.VIEWER);
        assertThat(db.authenticate("ann", "bobs-password".toCharArray())).isEmpty();
        assertThat(db.authenticate("nobody", "first-password".toCharArray())).isEmpty();

        db.putUser("ann", "second-password".toCharArray(), Role.OPERATOR);
        assertThat(db.authenticate("ann", "first-password".toCharArray())).isEmpty();
        assertThat(db.authenticate("ann", "second-password".toCharArray())).contains(Role.OPERATOR);
        assertThat(db.users()).containsExactly(new GlobalDb.UserEntry("ann", Role.OPERATOR),
                new GlobalDb.UserEntry("bob", Role.ADMIN));
    }

    @Test
    void eachStartCountsAndAliveRecordsKeepTheCount() {
        ProcessKey key = new ProcessKey("east", "127.0.0.2", "gate");
        db.recordStart(key, 10, 1_000);
        assertThat(db.record(key).orElseThrow()).isEqualTo(new ProcessRecord(key,
                JsonNodeFactory.instance.objectNode(), 10, 1_000, 1, ""));

        db.recordAlive(key, 10, JsonNodeFactory.instance.objectNode().put("sessions", 3), 2_000);
        db.recordState(key, "RUNNING");
        ProcessRecord alive = db.record(key).orElseThrow();
        assertThat(alive.startCount()).isEqualTo(1);
        assertThat(alive.lastUpdate()).isEqualTo(2_000);
        assertThat(alive.info().path("sessions").asInt()).isEqualTo(3);
        assertThat(alive.state()).isEqualTo("RUNNING");

        db.recordStart(key, 11, 3_000);
        ProcessRecord restarted = db.record(key).orElseThrow();
        assertThat(restarted.startCount()).isEqualTo(2);
        assertThat(restarted.pid()).isEqualTo(11);
        assertThat(restarted.lastUpdate()).isEqualTo(3_000);
        assertThat(restarted.state()).as("the daemon's state is the daemon's to change").isEqualTo("RUNNING");
    }

    @Test
    void aStateWithoutAnyRecordIsARecordThatNeverRan() {
        ProcessKey key = new ProcessKey("east", "127.0.0.3", "tool");
        db.recordState(key, "FATAL");
        ProcessRecord record = db.record(key).orElseThrow();
        assertThat(record.state()).isEqualTo("FATAL");
        assertThat(record.startCount()).isZero();
        assertThat(record.isStale(1_000_000, 5_000)).isTrue();
    }

    @Test
    void recordsListsEveryProcessInKeyOrder() {
        ProcessKey b = new ProcessKey("east", "127.0.0.3", "tool");
        ProcessKey a = new ProcessKey("east", "127.0.0.2", "gate");
        db.recordStart(b, 2, 1_000);
        db.recordAlive(a, 1, JsonNodeFactory.instance.objectNode(), 1_500);
        assertThat(db.records()).extracting(ProcessRecord::key).containsExactly(a, b);
        assertThat(db.records().get(0).startCount()).isZero();
    }
}
