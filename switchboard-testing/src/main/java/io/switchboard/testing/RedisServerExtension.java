package io.switchboard.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link RedisServer} for one test class, started before its {@code @BeforeAll} methods and stopped after the class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension();
 * }</pre>
 *
 * Where {@code redis-server} is missing the class is skipped, or fails with {@code CI=true}, as {@link RedisServer#start}
 * says.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final String[] config;
    private volatile RedisServer server;

    /** A server started with {@code config}: extra {@code redis-server} arguments, such as ACL users. */
    public RedisServerExtension(String... config) {
        this.config = config.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = RedisServer.start(config);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RedisServer started = server;
        server = null;
        if (started != null) {
            started.close();
        }
    }

    /** The running server; only between the class's start and end. */
    public RedisServer server() {
        RedisServer started = server;
        if (started == null) {
            throw new IllegalStateException("the Redis server runs only while its test class does");
        }
        return started;
    }

    public String uri() {
        return server().uri();
    }

    public void freeze() {
        server().freeze();
    }

    public void thaw() {
        server().thaw();
    }
}
