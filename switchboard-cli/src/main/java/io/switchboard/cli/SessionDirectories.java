package io.switchboard.cli;

import io.switchboard.redis.RedisSessionDirectory;
import io.switchboard.users.MemorySessionDirectory;
import io.switchboard.users.SessionDirectory;

/** Opens the session directory a {@code --directory} option names. */
final class SessionDirectories {
    static final String MEMORY = "memory";

    private SessionDirectories() {
    }

    /** {@code memory} (this process only) or {@code redis://host:port[/db]} (shared by the gates). */
    static SessionDirectory open(String uri) {
        if (MEMORY.equals(uri)) {
            return new MemorySessionDirectory();
        }
        if (uri.startsWith("redis://") || uri.startsWith("rediss://")) {
            return RedisSessionDirectory.connect(uri);
        }
        throw new IllegalArgumentException("--directory is 'memory' or redis://host:port, was " + uri);
    }
}
