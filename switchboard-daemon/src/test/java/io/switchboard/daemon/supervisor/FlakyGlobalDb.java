package io.switchboard.daemon.supervisor;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.GlobalDbException;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecord;
import io.switchboard.globaldb.Role;
import io.switchboard.globaldb.World;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A globaldb that can be made unreachable: every call then throws, as a Redis that does not answer would. It can also
 * be made slow: {@link #recordAlive} then blocks until {@link #hold} is counted down.
 */
final class FlakyGlobalDb implements GlobalDb {
    private final GlobalDb delegate;
    volatile boolean down;
    volatile CountDownLatch hold;
    final AtomicInteger recordAliveCalls = new AtomicInteger();

    FlakyGlobalDb(GlobalDb delegate) {
        this.delegate = delegate;
    }

    private void check() {
        if (down) {
            throw new GlobalDbException("globaldb unreachable (test)");
        }
    }

    @Override
    public World world() {
        check();
        return delegate.world();
    }

    @Override
    public void replaceWorld(World world) {
        check();
        delegate.replaceWorld(world);
    }

    @Override
    public void putUser(String name, char[] password, Role role) {
        check();
        delegate.putUser(name, password, role);
    }

    @Override
    public Optional<Role> authenticate(String name, char[] password) {
        check();
        return delegate.authenticate(name, password);
    }

    @Override
    public List<UserEntry> users() {
        check();
        return delegate.users();
    }

    @Override
    public void recordStart(ProcessKey key, long pid, long nowMillis) {
        check();
        delegate.recordStart(key, pid, nowMillis);
    }

    @Override
    public void recordAlive(ProcessKey key, long pid, JsonNode info, long nowMillis) {
        recordAliveCalls.incrementAndGet();
        CountDownLatch latch = hold;
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        check();
        delegate.recordAlive(key, pid, info, nowMillis);
    }

    @Override
    public void recordState(ProcessKey key, String state) {
        check();
        delegate.recordState(key, state);
    }

    @Override
    public Optional<ProcessRecord> record(ProcessKey key) {
        check();
        return delegate.record(key);
    }

    @Override
    public List<ProcessRecord> records() {
        check();
        return delegate.records();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
