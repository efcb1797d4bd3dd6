package io.switchboard.chat.internal;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The database families the chat runs on, told apart by the JDBC URL, and what differs between them: where the
 * migrations are and how a statement's time limit is set. The SQL of {@link ChatStore} is the same for all.
 */
enum SqlDialect {
    /** H2 (the embedded default) and PostgreSQL share one migration set in portable SQL. */
    H2("classpath:io/switchboard/chat/db/migration"),
    POSTGRESQL("classpath:io/switchboard/chat/db/migration"),
    /** MariaDB and MySQL (MariaDB Connector/J): their own migrations, the same schema in their dialect. */
    MYSQL("classpath:io/switchboard/chat/db/mysql"),
    /** Any other JDBC URL gets the portable migrations and no statement limit beyond the pool's. */
    OTHER("classpath:io/switchboard/chat/db/migration");

    private final String migrations;

    SqlDialect(String migrations) {
        this.migrations = migrations;
    }

    static SqlDialect of(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MYSQL;
        }
        return OTHER;
    }

    /** The Flyway location of this family's migrations. */
    String migrations() {
        return migrations;
    }

    /** The SQL run on each new connection that limits every statement to {@code millis}, or null for none. */
    String statementTimeoutSql(long millis) {
        return switch (this) {
            case H2 -> "SET QUERY_TIMEOUT " + millis;
            case POSTGRESQL -> "SET statement_timeout = " + millis;
            // MariaDB's max_statement_time (seconds, fractions allowed) covers every statement, lock waits
            // included; MySQL's max_execution_time (ms) covers only reads. Each server runs its own executable
            // comment and skips the other's; the user variable keeps the statement valid where neither runs.
            case MYSQL -> "SET @switchboard_chat = 1"
                    + " /*M!100100 , SESSION max_statement_time = " + BigDecimal.valueOf(millis, 3).toPlainString() + " */"
                    + " /*!80000 , SESSION max_execution_time = " + millis + " */";
            case OTHER -> null;
        };
    }
}
