package io.switchboard.chat;

import io.switchboard.testing.ExternalPrograms;
import io.switchboard.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;

/**
 * The chat flows on a real PostgreSQL server that the test starts from the machine's binaries. Without them
 * the tests are skipped with a loud message, or fail when CI=true.
 */
class PostgresChatFlowTest extends ChatFlowContract {
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path bin = PostgresServer.findBinaries();
        if (bin == null) {
            ExternalPrograms.missing("PostgreSQL (/usr/lib/postgresql/*/bin/initdb and postgres)");
        }
        postgres = PostgresServer.start(bin);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    String newDatabaseUrl() throws Exception {
        if (postgres == null) {
            ExternalPrograms.missing("PostgreSQL");
        }
        return postgres.createDatabase();
    }

    @Override
    String databaseUser() {
        return "postgres";
    }
}
