package io.switchboard.globaldb;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryGlobalDbTest {
    private final InMemoryGlobalDb db = new InMemoryGlobalDb(1_000);

    @Test
    void processKeysSplitAtTheFirstAndLastDot() {
        ProcessKey key = ProcessKey.parse("east.127.0.0.2.gate-1");
        assertThat(key).isEqualTo(new ProcessKey("east", "127.0.0.2", "gate-1"));
        assertThat(key.toString()).isEqualTo("east.127.0.0.2.gate-1");
        assertThatThrownBy(() -> ProcessKey.parse("nodots")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProcessKey("a.b", "1.2.3.4", "n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usersAuthenticateOnlyWithTheirPasswordAndKeepTheirRole() {
        db.putUser("ann", "s3cret-pass".toCharArray(), Role.OPERATOR);
        assertThat(db.authenticate("ann", "s3cret-pass".toCharArray())).contains(Role.OPERATOR);
        assertThat(db.authenticate("ann", "s3cret-pasS".toCharArray())).isEmpty();
        assertThat(db.authenticate("bob", "s3cret-pass".toCharArray())).isEmpty();
        assertThat(db.users()).containsExactly(new GlobalDb.UserEntry("ann", Role.OPERATOR));
        assertThat(Role.VIEWER.allows(Permission.STOP)).isFalse();
        assertThat(Role.OPERATOR.allows(Permission.STOP)).isTrue();
        assertThat(Role.OPERATOR.allows(Permission.USERS)).isFalse();
        assertThat(Role.parse("admin")).isEqualTo(Role.ADMIN);
    }

    @Test
    void startsCountAndAliveRecordsKeepTheCount() {
        ProcessKey key = new ProcessKey("east", "127.0.0.2", "gate");
        db.recordStart(key, 10, 1_000);
        db.recordAlive(key, 10, JsonNodeFactory.instance.objectNode().put("sessions", 3), 2_000);
        db.recordState(key, "RUNNING");
        db.recordStart(key, 11, 3_000);
        ProcessRecord record = db.record(key).orElseThrow();
        assertThat(record.startCount()).isEqualTo(2);
        assertThat(record.pid()).isEqualTo(11);
        assertThat(record.info().path("sessions").asInt()).isEqualTo(3);
        assertThat(record.state()).isEqualTo("RUNNING");
        assertThat(record.isStale(3_500, 1_000)).isFalse();
        assertThat(record.isStale(4_500, 1_000)).isTrue();
    }

    @Test
    void theWorldIsReplacedWhole() {
        ProcessSpec gate = new ProcessSpec("gate", "gate", "127.0.0.2", 3010, null, null, null, null);
        db.replaceWorld(new World(Map.of("east", Map.of("127.0.0.2", List.of(gate)))));
        assertThat(db.world().machine("127.0.0.2").orElseThrow().process("gate")).contains(gate);
        assertThat(db.world().machine("127.0.0.3")).isEmpty();
    }
}
