package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.switchboard.globaldb.InMemoryGlobalDb;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.globaldb.Role;
import io.switchboard.globaldb.World;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world the admin tests run against: region east with this daemon's machine 127.0.0.2 (gate and node) and
 * 127.0.0.3 (gate2), region west with 127.0.0.4 (a plain program); users ann (viewer), otto (operator) and
 * ada (admin), whose password is their name twice.
 */
final class TestWorld {
    static final String LOCAL = "127.0.0.2";
    static final String OTHER = "127.0.0.3";
    static final String WEST = "127.0.0.4";
    static final long START = 1_800_000_000_000L;

    private TestWorld() {
    }

    static InMemoryGlobalDb globalDb() {
        InMemoryGlobalDb db = new InMemoryGlobalDb(1_000);
        Map<String, List<ProcessSpec>> east = new LinkedHashMap<>();
        east.put(LOCAL, List.of(spec("gate", "gate", 10101), spec("service:demo", "node", 10201)));
        // A port of its own: a globaldb store refuses a world with a host:port taken twice, as an import does.
        east.put(OTHER, List.of(spec("gate", "gate2", 10102)));
        Map<String, Map<String, List<ProcessSpec>>> regions = new LinkedHashMap<>();
        regions.put("east", east);
        regions.put("west", Map.of(WEST, List.of(new ProcessSpec("cmd", "worker", WEST, 10301, null, "/bin/sleep",
                List.of("1000"), null))));
        db.replaceWorld(new World(regions));
        db.putUser("ann", "annann".toCharArray(), Role.VIEWER);
        db.putUser("otto", "ottootto".toCharArray(), Role.OPERATOR);
        db.putUser("ada", "adaada".toCharArray(), Role.ADMIN);
        return db;
    }

    static ProcessSpec spec(String type, String name, int port) {
        return new ProcessSpec(type, name, "127.0.0.1", port, null, null, null, null);
    }

    static ProcessKey key(String region, String ip, String name) {
        return new ProcessKey(region, ip, name);
    }

    /** The process's record as its ProcessRecordPart writes it, at {@code now}. */
    static void alive(InMemoryGlobalDb db, ProcessKey key, long pid, int sessions, long now) {
        db.recordAlive(key, pid, JsonNodeFactory.instance.objectNode().put("kind", "gate").put("sessions", sessions)
                .put("heapUsed", 64L << 20).put("heapMax", 512L << 20).put("cpu", 0.1).put("version", "0.1.0"), now);
    }
}
