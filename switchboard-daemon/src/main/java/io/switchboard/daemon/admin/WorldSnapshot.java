package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.daemon.machine.ProcessStatus;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecord;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.globaldb.World;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The world at one moment, read once (world, process records, the local machine's status, the machines the router
 * has) and rendered as the list views: every view of one command comes from the same reads. A process row carries
 * name, type, host, port, pid, state, liveness, uptime, startcount, lastupdate age, sessions and heap; values that
 * are not known are JSON null.
 */
final class WorldSnapshot {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final World world;
    private final Map<ProcessKey, ProcessRecord> records;
    private final Map<String, ProcessStatus> local;
    private final String localIp;
    private final Set<String> connected;
    private final Liveness.Rule rule;
    private final long now;

    WorldSnapshot(World world, Map<ProcessKey, ProcessRecord> records, Map<String, ProcessStatus> local,
                  String localIp, Set<String> connected, Liveness.Rule rule, long nowMillis) {
        this.world = world;
        this.records = records;
        this.local = local;
        this.localIp = localIp;
        this.connected = connected;
        this.rule = rule;
        this.now = nowMillis;
    }

    /** {@code list world} and {@code watch}: regions → machines → processes. */
    ObjectNode world() {
        ObjectNode view = JSON.objectNode().put("at", now);
        ArrayNode regions = view.putArray("regions");
        world.regions().keySet().forEach(region -> {
            ObjectNode r = regions.addObject().put("name", region);
            ArrayNode machines = r.putArray("machines");
            world.machines().stream().filter(m -> m.region().equals(region))
                    .forEach(m -> machines.add(machine(m, true)));
        });
        return view;
    }

    /** {@code list machine}: each machine with its reachability and process counts by liveness. */
    ObjectNode machines() {
        ObjectNode view = JSON.objectNode().put("at", now);
        ArrayNode machines = view.putArray("machines");
        world.machines().forEach(m -> machines.add(machine(m, false)));
        return view;
    }

    /** {@code list ip IP}: one machine with its processes; empty when the world has no such machine. */
    Optional<ObjectNode> machine(String ip) {
        return world.machine(ip).map(m -> machine(m, true).put("at", now));
    }

    /** {@code list pid PID}: the processes whose record or local status has this pid, with region and IP. */
    ObjectNode pid(long pid) {
        ObjectNode view = JSON.objectNode().put("at", now).put("pid", pid);
        ArrayNode found = view.putArray("processes");
        world.machines().forEach(m -> m.processes().forEach(spec -> {
            ObjectNode row = process(m, spec);
            if (row.path("pid").asLong() == pid) {
                found.add(row.put("region", m.region()).put("ip", m.ip()));
            }
        }));
        return view;
    }

    private ObjectNode machine(World.Machine m, boolean withProcesses) {
        ObjectNode machine = JSON.objectNode().put("region", m.region()).put("ip", m.ip())
                .put("local", m.ip().equals(localIp)).put("reachable", reachable(m.ip()));
        Map<Liveness, Integer> counts = new EnumMap<>(Liveness.class);
        for (Liveness l : Liveness.values()) {
            counts.put(l, 0);
        }
        ArrayNode rows = JSON.arrayNode();
        m.processes().forEach(spec -> {
            ObjectNode row = process(m, spec);
            counts.merge(liveness(m, spec), 1, Integer::sum);
            rows.add(row);
        });
        machine.put("processCount", m.processes().size());
        counts.forEach((l, n) -> machine.put(l.wireName(), n));
        if (withProcesses) {
            machine.set("processes", rows);
        }
        return machine;
    }

    private boolean reachable(String ip) {
        return ip.equals(localIp) || connected.contains(ip);
    }

    private Liveness liveness(World.Machine m, ProcessSpec spec) {
        return rule.judge(Optional.ofNullable(records.get(m.key(spec))), state(m, spec), now);
    }

    private ProcessStatus status(World.Machine m, ProcessSpec spec) {
        return m.ip().equals(localIp) ? local.get(spec.name()) : null;
    }

    /** This machine's supervisor knows its own processes first-hand; other machines' are known from globaldb. */
    private String state(World.Machine m, ProcessSpec spec) {
        ProcessStatus status = status(m, spec);
        ProcessRecord record = records.get(m.key(spec));
        return status != null ? status.state().name() : record == null ? "" : record.state();
    }

    private ObjectNode process(World.Machine m, ProcessSpec spec) {
        Optional<ProcessRecord> record = Optional.ofNullable(records.get(m.key(spec)));
        ProcessStatus status = status(m, spec);
        String state = state(m, spec);
        long pid = status != null ? status.pid() : record.map(ProcessRecord::pid).orElse(0L);
        Liveness liveness = liveness(m, spec);
        JsonNode info = record.map(ProcessRecord::info).orElse(JSON.objectNode());
        ObjectNode row = JSON.objectNode().put("name", spec.name()).put("type", spec.type())
                .put("host", spec.host()).put("port", spec.port()).put("pid", pid)
                .put("state", state.isEmpty() ? "UNKNOWN" : state).put("liveness", liveness.wireName());
        if (status != null && status.startedAtMillis() > 0) {
            row.put("uptimeMs", Math.max(0, now - status.startedAtMillis()));
        } else if (info.path("startedAt").isNumber() && liveness != Liveness.STOPPED) {
            row.put("uptimeMs", Math.max(0, now - info.get("startedAt").asLong()));
        } else {
            row.putNull("uptimeMs");
        }
        row.put("startcount", status != null ? Math.max(status.startCount(),
                record.map(ProcessRecord::startCount).orElse(0L)) : record.map(ProcessRecord::startCount).orElse(0L));
        long lastUpdate = record.map(ProcessRecord::lastUpdate).orElse(0L);
        if (lastUpdate > 0) {
            row.put("lastupdateAgeMs", Math.max(0, now - lastUpdate));
        } else {
            row.putNull("lastupdateAgeMs");
        }
        copyNumber(info, "sessions", row);
        copyNumber(info, "heapUsed", row);
        copyNumber(info, "heapMax", row);
        if (status != null) {
            row.put("restarts", status.restarts()).put("detail", status.detail() == null ? "" : status.detail());
        }
        return row;
    }

    private static void copyNumber(JsonNode info, String field, ObjectNode row) {
        JsonNode value = info.get(field);
        if (value != null && value.isNumber()) {
            row.set(field, value);
        } else {
            row.putNull(field);
        }
    }
}
