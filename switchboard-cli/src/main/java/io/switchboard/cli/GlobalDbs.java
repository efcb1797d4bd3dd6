package io.switchboard.cli;

import io.switchboard.common.text.Redact;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.redis.RedisGlobalDb;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/** Opens the globaldb a process-plane command names with {@code --globaldb} (DESIGN §9): a Redis URL. */
final class GlobalDbs {
    /** The store every process-plane command uses unless told otherwise. */
    static final String DEFAULT_URL = RedisGlobalDb.DEFAULT_URL;

    private GlobalDbs() {
    }

    /** The globaldb of a command not told with {@code --globaldb}: the daemon's variable when set, else the default. */
    static String defaultUrl(Map<String, String> environment) {
        return environment.getOrDefault(ProcessRecordOptions.GLOBALDB_ENV, DEFAULT_URL);
    }

    /** The globaldb at {@code url}, {@code redis://host:port} or {@code rediss://host:port}. */
    static GlobalDb open(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // Redacted: the URL may carry a password, and this message goes to stderr.
            throw new IllegalArgumentException("--globaldb: not a URL: " + Redact.userInfo(url));
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--globaldb: not a redis:// or rediss:// URL: " + Redact.userInfo(url));
        }
        return RedisGlobalDb.connect(url);
    }
}
