package io.switchboard.chat.internal;

import com.zaxxer.hikari.HikariConfig;
import io.switchboard.chat.ChatConfig;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every database call of the chat has a time limit: statements, the pool's wait, the socket (PostgreSQL, MariaDB). */
class JdbcTimeoutsTest {

    @Test
    void postgresUrlsGetSocketTimeoutsUnlessTheySetThemThemselves() {
        assertThat(JdbcTimeouts.postgresUrl("jdbc:postgresql://db:5432/chat", 5, 7))
                .isEqualTo("jdbc:postgresql://db:5432/chat?connectTimeout=5&socketTimeout=7&loginTimeout=5");
        assertThat(JdbcTimeouts.postgresUrl("jdbc:postgresql://db/chat?ssl=true&socketTimeout=30", 5, 7))
                .isEqualTo("jdbc:postgresql://db/chat?ssl=true&socketTimeout=30&connectTimeout=5&loginTimeout=5");
    }

    @Test
    void mariaDbUrlsGetSocketTimeoutsInMillisecondsUnlessTheySetThemThemselves() {
        assertThat(JdbcTimeouts.mysqlUrl("jdbc:mariadb://db:3306/chat", 5_000, 7_000))
                .isEqualTo("jdbc:mariadb://db:3306/chat?connectTimeout=5000&socketTimeout=7000");
        assertThat(JdbcTimeouts.mysqlUrl("jdbc:mariadb://db/chat?sslMode=verify-full&SOCKETTIMEOUT=0", 5_000, 7_000))
                .isEqualTo("jdbc:mariadb://db/chat?sslMode=verify-full&SOCKETTIMEOUT=0&connectTimeout=5000");
    }

    @Test
    void eachDialectLimitsStatementsInItsOwnWords() {
        HikariConfig hikari = new HikariConfig();
        JdbcTimeouts.apply(hikari, "jdbc:mariadb://db/chat", Duration.ofMillis(1_500));
        assertThat(hikari.getJdbcUrl()).isEqualTo("jdbc:mariadb://db/chat?connectTimeout=1500&socketTimeout=3500");
        assertThat(hikari.getConnectionInitSql()).isEqualTo("SET @switchboard_chat = 1"
                + " /*M!100100 , SESSION max_statement_time = 1.500 */ /*!80000 , SESSION max_execution_time = 1500 */");
        assertThat(SqlDialect.of("jdbc:mysql://db/chat")).isEqualTo(SqlDialect.MYSQL);
        assertThat(SqlDialect.of("jdbc:postgresql://db/chat").statementTimeoutSql(250))
                .isEqualTo("SET statement_timeout = 250");
        assertThat(SqlDialect.of("jdbc:h2:mem:x").statementTimeoutSql(250)).isEqualTo("SET QUERY_TIMEOUT 250");
        assertThat(SqlDialect.of("jdbc:sqlite:chat.db").statementTimeoutSql(250)).isNull();
    }

    @Test
    void aStatementPastTheTimeoutIsCancelledByTheDatabase() throws Exception {
        ChatConfig config = ChatConfig.builder().jdbcUrl(ChatConfig.h2MemoryUrl("jdbc-timeouts"))
                .statementTimeout(Duration.ofMillis(300)).build();
        try (ChatDatabase database = ChatDatabase.open(config);
             Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            // 10^10 rows: minutes of work unless the statement timeout ends it.
            assertThatThrownBy(() -> statement.executeQuery("SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000) A, "
                    + "SYSTEM_RANGE(1, 100000) B WHERE A.X + B.X = 7"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("cancel");
            try (var ok = statement.executeQuery("SELECT 1")) {
                assertThat(ok.next()).as("the connection is still usable").isTrue();
            }
        }
    }
}
