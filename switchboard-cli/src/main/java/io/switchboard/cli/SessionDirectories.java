package io.switchboard.cli;

import io.lettuce.core.RedisURI;
import io.switchboard.common.text.Redact;
import io.switchboard.redis.RedisSessionDirectory;
import io.switchboard.users.MemorySessionDirectory;
import io.switchboard.users.SessionDirectory;

import java.util.Map;

/** Opens the session directory a {@code --directory} option names. */
final class SessionDirectories {
    static final String MEMORY = "memory";

    private SessionDirectories() {
    }

    /** Redis credentials come from the environment, so they show in no command line (DESIGN §10). */
    static final String REDIS_USER_ENV = "SWITCHBOARD_REDIS_USER";
    static final String REDIS_PASSWORD_ENV = "SWITCHBOARD_REDIS_PASSWORD";
    private static final String KEY_PREFIX = "switchboard:";

    /** {@code memory} (this process only) or {@code redis://host:port[/db]} / {@code rediss://} (TLS), shared. */
    static SessionDirectory open(String uri) {
        return open(uri, System.getenv());
    }

    static SessionDirectory open(String uri, Map<String, String> env) {
        if (MEMORY.equals(uri)) {
            return new MemorySessionDirectory();
        }
        if (uri.startsWith("redis://") || uri.startsWith("rediss://")) {
            RedisURI redis;
            try {
                redis = RedisURI.create(uri);
            } catch (RuntimeException e) {
                // Not e's message: it may repeat the URL, password and all.
                throw new IllegalArgumentException("--directory: not a Redis URL: " + Redact.userInfo(uri));
            }
            String password = env.get(REDIS_PASSWORD_ENV);
            String user = env.get(REDIS_USER_ENV);
            if (password != null) {
                // A Redis ACL user when one is named, else the default user's password.
                if (user != null) {
                    redis.setUsername(user);
                }
                redis.setPassword(password.toCharArray());
            } else if (redis.getPassword() != null) {
                System.err.println("warning: a password in --directory shows in ps; use " + REDIS_PASSWORD_ENV);
            }
            try {
                return RedisSessionDirectory.connect(redis, KEY_PREFIX);
            } catch (RuntimeException e) {
                throw new CommandFailure("cannot reach the session directory " + Redact.userInfo(uri) + ": "
                        + CommandFailure.rootMessage(e), e);
            }
        }
        throw new IllegalArgumentException("--directory is 'memory' or redis://host:port, was " + Redact.userInfo(uri));
    }
}
