package io.switchboard.chat.internal;

import io.switchboard.chat.ChatConfig;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every database call of the chat has a time limit: statements, the pool's wait, PostgreSQL's socket. */
class JdbcTimeoutsTest {

    @Test
    void postgresUrlsGetSocketTimeoutsUnlessTheySetThemThemselves() {
        assertThat(JdbcTimeouts.postgresUrl("jdbc:postgresql://db:5432/chat", 5, 7))
                .isEqualTo("jdbc:postgresql://db:5432/chat?connectTimeout=5&socketTimeout=7&loginTimeout=5");
        assertThat(JdbcTimeouts.postgresUrl("jdbc:postgresql://db/chat?ssl=true&socketTimeout=30", 5, 7))
                .isEqualTo("jdbc:postgresql://db/chat?ssl=true&socketTimeout=30&connectTimeout=5&loginTimeout=5");
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
