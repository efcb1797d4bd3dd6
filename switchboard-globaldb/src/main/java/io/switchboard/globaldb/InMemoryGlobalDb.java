package io.switchboard.globaldb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** globaldb in this JVM's memory: for tests and single-machine trials; nothing survives the process. */
public final class InMemoryGlobalDb implements GlobalDb {
    private final int iterations;
    private volatile World world = World.empty();
    private final Map<String, GlobalDbJson.StoredUser> users = new ConcurrentHashMap<>();
    private final Map<ProcessKey, ProcessRecord> records = new ConcurrentHashMap<>();

    public InMemoryGlobalDb() {
        this(PasswordHash.DEFAULT_ITERATIONS);
    }

    /** With a lower hashing cost, for tests. */
    public InMemoryGlobalDb(int iterations) {
        this.iterations = iterations;
    }

    @Override
    public World world() {
        return world;
    }

    @Override
    public void replaceWorld(World world) {
        WorldFile.requireValid(world);
        this.world = world;
    }

    @Override
    public void putUser(String name, char[] password, Role role) {
        users.put(name, GlobalDbJson.StoredUser.of(password, role, iterations));
    }

    @Override
    public Optional<Role> authenticate(String name, char[] password) {
        GlobalDbJson.StoredUser user = users.get(name);
        return GlobalDbJson.StoredUser.matches(user, password, iterations)
                ? Optional.of(user.role()) : Optional.empty();
    }

    @Override
    public List<UserEntry> users() {
        List<UserEntry> list = new ArrayList<>();
        users.forEach((name, user) -> list.add(new UserEntry(name, user.role())));
        list.sort(Comparator.comparing(UserEntry::name));
        return list;
    }

    @Override
    public void recordStart(ProcessKey key, long pid, long nowMillis) {
        records.compute(key, (k, old) -> new ProcessRecord(k,
                old == null ? JsonNodeFactory.instance.objectNode() : old.info(), pid, nowMillis,
                old == null ? 1 : old.startCount() + 1, old == null ? "" : old.state()));
    }

    @Override
    public void recordAlive(ProcessKey key, long pid, JsonNode info, long nowMillis) {
        records.compute(key, (k, old) -> new ProcessRecord(k, info, pid, nowMillis,
                old == null ? 0 : old.startCount(), old == null ? "" : old.state()));
    }

    @Override
    public void recordState(ProcessKey key, String state) {
        records.compute(key, (k, old) -> old == null
                ? new ProcessRecord(k, JsonNodeFactory.instance.objectNode(), 0, 0, 0, state)
                : new ProcessRecord(k, old.info(), old.pid(), old.lastUpdate(), old.startCount(), state));
    }

    @Override
    public Optional<ProcessRecord> record(ProcessKey key) {
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public List<ProcessRecord> records() {
        List<ProcessRecord> list = new ArrayList<>(records.values());
        list.sort(Comparator.comparing(r -> r.key().toString()));
        return list;
    }

    @Override
    public void close() {
    }
}
