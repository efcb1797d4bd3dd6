package io.switchboard.globaldb;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/** A {@link GlobalDb} that hands every call to another, for tests that change one call's behaviour. */
class ForwardingGlobalDb implements GlobalDb {
    private final GlobalDb delegate;

    ForwardingGlobalDb(GlobalDb delegate) {
        this.delegate = delegate;
    }

    @Override
    public World world() {
        return delegate.world();
    }

    @Override
    public void replaceWorld(World world) {
        delegate.replaceWorld(world);
    }

    @Override
    public void putUser(String name, char[] password, Role role) {
        delegate.putUser(name, password, role);
    }

    @Override
    public Optional<Role> authenticate(String name, char[] password) {
        return delegate.authenticate(name, password);
    }

    @Override
    public List<UserEntry> users() {
        return delegate.users();
    }

    @Override
    public void recordStart(ProcessKey key, long pid, long nowMillis) {
        delegate.recordStart(key, pid, nowMillis);
    }

    @Override
    public void recordAlive(ProcessKey key, long pid, JsonNode info, long nowMillis) {
        delegate.recordAlive(key, pid, info, nowMillis);
    }

    @Override
    public void recordState(ProcessKey key, String state) {
        delegate.recordState(key, state);
    }

    @Override
    public Optional<ProcessRecord> record(ProcessKey key) {
        return delegate.record(key);
    }

    @Override
    public List<ProcessRecord> records() {
        return delegate.records();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
