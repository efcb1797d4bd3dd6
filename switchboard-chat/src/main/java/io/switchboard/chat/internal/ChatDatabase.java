package io.switchboard.chat.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.chat.ChatConfig;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/** The connection pool of the chat database, migrated to the newest schema when opened. */
public final class ChatDatabase implements AutoCloseable {
    private final HikariDataSource dataSource;

    private ChatDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool and runs the Flyway migrations; fails (and closes the pool) when either fails. */
    public static ChatDatabase open(ChatConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setUsername(config.username());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setPoolName("switchboard-chat");
        // Fail a request within seconds when the database is gone or stalls, instead of the 30 s default wait for a
        // connection and no limit at all on a statement or a silent socket.
        JdbcTimeouts.apply(hikari, config.jdbcUrl(), config.statementTimeout());
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(SqlDialect.of(config.jdbcUrl()).migrations())
                    .table("chat_schema_history")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new ChatDatabase(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
