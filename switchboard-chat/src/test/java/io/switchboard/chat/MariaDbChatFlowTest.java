package io.switchboard.chat;

import io.switchboard.chat.ChatHarness.Client;
import io.switchboard.chat.internal.ChatDatabase;
import io.switchboard.testing.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The chat flows on a real MariaDB server that the test starts from the machine's binaries (one for the class, a
 * database per test), connecting as an ordinary user; and what is MariaDB's own: its schema is the portable one,
 * statements and a frozen server are cut off by the time limits, and a server killed with SIGKILL and restarted
 * keeps every acknowledged message. Without the binaries the tests are skipped with
 * a loud message, or fail when CI=true.
 */
class MariaDbChatFlowTest extends ChatFlowContract {
    private static MariaDbServer mariadb;

    @BeforeAll
    static void startMariaDb() throws Exception {
        mariadb = MariaDbServer.start();
    }

    @AfterAll
    static void stopMariaDb() throws Exception {
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @Override
    String newDatabaseUrl() throws Exception {
        return mariadb.createDatabase();
    }

    @Override
    String databaseUser() {
        return MariaDbServer.USER;
    }

    @Override
    String databasePassword() {
        return MariaDbServer.PASSWORD;
    }

    @Test
    void theSchemaIsTheOneH2AndPostgresGet() throws Exception {
        String h2 = ChatConfig.h2MemoryUrl("shape-" + UUID.randomUUID());
        try (ChatDatabase portable = ChatDatabase.open(ChatConfig.builder().jdbcUrl(h2).build());
             Connection h2Connection = portable.dataSource().getConnection();
             Connection mariaDbConnection = connect()) {
            assertThat(SchemaShape.of(mariaDbConnection))
                    .contains("chat_message foreign key sender_id -> chat_user.id")
                    .containsExactlyElementsOf(SchemaShape.of(h2Connection));
        }
    }

    @Test
    void aStatementWaitingForALockIsCutOffByTheStatementTimeout() throws Exception {
        chat.register("ann");
        chat.register("bob");
        String conversation = chat.login("ann").ok(ChatRoutes.SEND, "to", "bob", "text", "hi")
                .get("conversation").asText();
        ChatConfig config = ChatConfig.builder().jdbcUrl(databaseUrl).username(databaseUser())
                .password(databasePassword()).statementTimeout(Duration.ofMillis(300)).build();
        try (Connection holder = connect();
             ChatDatabase database = ChatDatabase.open(config);
             Connection waiter = database.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            lockConversation(holder, conversation);
            waiter.setAutoCommit(false);
            // InnoDB alone would wait innodb_lock_wait_timeout (50 s) and then say so.
            assertThatThrownBy(() -> lockConversation(waiter, conversation))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("max_statement_time");
            waiter.rollback();
            holder.rollback();
            lockConversation(waiter, conversation);
            waiter.rollback();
        }
    }

    @Test
    void aFrozenServerFailsRequestsWithACodeAndServesAgainWhenThawed() throws Exception {
        restartChatWithShortTimeouts();
        chat.register("ann");
        chat.register("bob");
        Client ann = chat.login("ann");
        ann.ok(ChatRoutes.CONVERSATIONS);
        mariadb.freeze();
        try {
            // The socket timeout (statement timeout + 2 s) ends the call, within the client's 10 s wait.
            assertThat(ann.error(ChatRoutes.CONVERSATIONS)).isEqualTo(ChatErrors.STORAGE_UNAVAILABLE.code());
        } finally {
            mariadb.thaw();
        }
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> !ann.call(ChatRoutes.CONVERSATIONS, ChatHarness.json()).isError());
        assertThat(ann.ok(ChatRoutes.SEND, "to", "bob", "text", "after the thaw").get("seq").asLong()).isEqualTo(1);
    }

    @Test
    void aServerKilledAndRestartedKeepsWhatItAcknowledged() throws Exception {
        restartChatWithShortTimeouts();
        chat.register("ann");
        chat.register("bob");
        Client ann = chat.login("ann");
        String conversation = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "before the crash")
                .get("conversation").asText();
        mariadb.kill();
        assertThat(ann.error(ChatRoutes.CONVERSATIONS)).isEqualTo(ChatErrors.STORAGE_UNAVAILABLE.code());
        mariadb.restart();
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> !ann.call(ChatRoutes.CONVERSATIONS, ChatHarness.json()).isError());
        assertThat(ann.ok(ChatRoutes.SEND, "conversation", conversation, "text", "after").get("seq").asLong())
                .isEqualTo(2);
        assertThat(texts(ann.ok(ChatRoutes.HISTORY, "conversation", conversation)))
                .containsExactly("before the crash", "after");
    }

    /** The test's chat again, with a 1 s statement limit (3 s on a silent socket) for the fault tests. */
    private void restartChatWithShortTimeouts() throws Exception {
        chat.close();
        chat = new ChatHarness(ChatConfig.builder().jdbcUrl(databaseUrl).username(databaseUser())
                .password(databasePassword()).passwordIterations(TEST_ITERATIONS)
                .statementTimeout(Duration.ofSeconds(1)).build());
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(databaseUrl, databaseUser(), databasePassword());
    }

    private static void lockConversation(Connection c, String conversation) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT last_seq FROM chat_conversation WHERE id = ? FOR UPDATE")) {
            s.setString(1, conversation);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
            }
        }
    }
}
