package io.switchboard.cluster;

import io.switchboard.users.MemorySessionDirectory;
import io.switchboard.users.SessionDirectory;

/** {@link ClusterUsersContract} with gates in one JVM sharing one in-memory directory. */
class MemoryClusterUsersTest extends ClusterUsersContract {
    private final MemorySessionDirectory shared = new MemorySessionDirectory();

    @Override
    SessionDirectory directory() {
        // Every "process" sees the same directory; closing one view must not close it for the others.
        return new SessionDirectoryView(shared);
    }
}
