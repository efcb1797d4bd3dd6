package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs units of JDBC work, each on its own pooled connection and in one transaction. A database failure
 * reaches the client as {@link ChatErrors#STORAGE_UNAVAILABLE}; the details go to the log only.
 */
final class Jdbc {
    private static final Logger log = LoggerFactory.getLogger(Jdbc.class);
    /** The SQL state of a unique or primary key violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** MariaDB and MySQL report every integrity violation as 23000; their error code tells a duplicate key. */
    private static final String MYSQL_INTEGRITY_VIOLATION = "23000";
    private static final int MYSQL_DUPLICATE_ENTRY = 1062;
    private static final int MYSQL_DUPLICATE_ENTRY_WITH_KEY_NAME = 1586;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T transaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new UniqueViolation(e);
            }
            log.warn("chat storage failed", e);
            throw new SwitchboardException(ChatErrors.STORAGE_UNAVAILABLE);
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
            if (MYSQL_INTEGRITY_VIOLATION.equals(s.getSQLState()) && (s.getErrorCode() == MYSQL_DUPLICATE_ENTRY
                    || s.getErrorCode() == MYSQL_DUPLICATE_ENTRY_WITH_KEY_NAME)) {
                return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed", e);
        }
    }

    /** A unique constraint refused a write; the caller turns it into the error that fits. */
    static final class UniqueViolation extends RuntimeException {
        UniqueViolation(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
