package io.switchboard.cluster.internal;

import io.switchboard.gate.ConcurrentChannelMap;
import io.switchboard.users.MemorySessionDirectory;
import io.switchboard.users.UserSessions;

/** A gate's users for unit tests: its open sessions, and {@link UserSessions} over an in-memory directory. */
final class TestUsers implements AutoCloseable {
    final ConcurrentChannelMap channels = new ConcurrentChannelMap();
    final GateSessions sessions = new GateSessions();
    private final MemorySessionDirectory directory = new MemorySessionDirectory();
    final UserSessions users = UserSessions.builder(directory).gate("gate-1").build();

    TestUsers() {
        sessions.channels(channels);
        users.start(channels).join();
    }

    @Override
    public void close() {
        users.close();
        directory.close();
    }
}
