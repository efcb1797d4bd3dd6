package io.switchboard.chat.internal;

import com.zaxxer.hikari.HikariConfig;

import java.time.Duration;
import java.util.Locale;

/**
 * Puts a time limit on every JDBC call of the chat, so a database that stalls or vanishes costs a request seconds,
 * never a worker for good: the pool's wait for a connection ({@code connectionTimeout}) and its validation; each
 * statement's run, set per connection when the pool opens it ({@code statement_timeout} in PostgreSQL,
 * {@code QUERY_TIMEOUT} in H2, {@code max_statement_time} in MariaDB); and for PostgreSQL and MariaDB/MySQL the
 * socket itself ({@code connectTimeout} and {@code socketTimeout} URL parameters, and PostgreSQL's
 * {@code loginTimeout}, unless the URL sets them), which is what ends a call to a server that stopped answering
 * (SIGSTOP, a cut network) rather than one that answers slowly.
 */
final class JdbcTimeouts {
    /** The socket waits a little longer than a statement, so a slow statement is cancelled by the server first. */
    private static final Duration SOCKET_MARGIN = Duration.ofSeconds(2);

    private JdbcTimeouts() {
    }

    static void apply(HikariConfig hikari, String jdbcUrl, Duration statementTimeout) {
        long statementMs = Math.max(1, statementTimeout.toMillis());
        hikari.setConnectionTimeout(Math.max(250, statementMs));
        hikari.setValidationTimeout(Math.max(250, Math.min(statementMs, 5_000)));
        SqlDialect dialect = SqlDialect.of(jdbcUrl);
        long socketMs = statementTimeout.plus(SOCKET_MARGIN).toMillis();
        hikari.setJdbcUrl(switch (dialect) {
            case POSTGRESQL -> postgresUrl(jdbcUrl, seconds(statementMs), seconds(socketMs));
            case MYSQL -> mysqlUrl(jdbcUrl, statementMs, socketMs);
            case H2, OTHER -> jdbcUrl;
        });
        String init = dialect.statementTimeoutSql(statementMs);
        if (init != null) {
            hikari.setConnectionInitSql(init);
        }
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** The URL with the PostgreSQL driver's socket timeouts (in seconds) added, keeping any it sets itself. */
    static String postgresUrl(String jdbcUrl, long connectSeconds, long socketSeconds) {
        StringBuilder url = new StringBuilder(jdbcUrl);
        param(url, "connectTimeout", connectSeconds);
        param(url, "socketTimeout", socketSeconds);
        param(url, "loginTimeout", connectSeconds);
        return url.toString();
    }

    /** The URL with MariaDB Connector/J's socket timeouts (in milliseconds) added, keeping any it sets itself. */
    static String mysqlUrl(String jdbcUrl, long connectMillis, long socketMillis) {
        StringBuilder url = new StringBuilder(jdbcUrl);
        param(url, "connectTimeout", connectMillis);
        param(url, "socketTimeout", socketMillis);
        return url.toString();
    }

    private static void param(StringBuilder url, String name, long value) {
        String lower = url.toString().toLowerCase(Locale.ROOT);
        String key = name.toLowerCase(Locale.ROOT) + "=";
        if (lower.contains("?" + key) || lower.contains("&" + key)) {
            return;
        }
        url.append(url.indexOf("?") < 0 ? '?' : '&').append(name).append('=').append(value);
    }
}
