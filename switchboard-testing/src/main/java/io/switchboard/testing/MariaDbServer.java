package io.switchboard.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MariaDB server for tests, from the machine's binaries (Debian's mariadb-server package):
 * {@code mariadb-install-db} into a temporary directory, {@code mariadbd} on a free loopback port with no option
 * files read, stopped and deleted on {@link #close()}. The chat connects as an ordinary user with a password,
 * {@link #USER}, granted all on each database that {@link #createDatabase()} makes. The server's character set is
 * left at its default (latin1), so what the chat needs it must ask for itself. Under root it runs as root
 * ({@code --user=root}); for fault tests it can be frozen, thawed, killed and restarted.
 */
public final class MariaDbServer extends LocalDatabaseServer {
    public static final String USER = "switchboard";
    public static final String PASSWORD = "switchboard-test-secret";

    private final Path server;
    private final AtomicInteger databases = new AtomicInteger();

    private MariaDbServer(Path server, Path dir, int port) {
        super("mariadbd", dir, port);
        this.server = server;
    }

    /** Starts a server, or skips (fails with CI=true) the calling test when the binaries are missing. */
    public static MariaDbServer start() throws Exception {
        Path server = ExternalPrograms.find("mariadbd", "/usr/sbin/mariadbd");
        Path installDb = ExternalPrograms.find("mariadb-install-db", "/usr/bin/mariadb-install-db");
        if (server == null || installDb == null) {
            ExternalPrograms.missing("MariaDB (Debian package mariadb-server: mariadbd and mariadb-install-db)");
        }
        Path dir = Files.createTempDirectory("switchboard-mariadb-");
        // root gets an empty password (normal authentication, not unix_socket), for the JDBC connect below.
        List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults",
                "--datadir=" + dir.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db"));
        runAsRootIfRoot(install);
        run(dir, install, dir.resolve("install-db.log"), Duration.ofMinutes(2));
        MariaDbServer mariadb = new MariaDbServer(server, dir, FreePort.next());
        mariadb.launchOrClose();
        try (Connection c = mariadb.adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
        } catch (SQLException | RuntimeException e) {
            mariadb.close();
            throw e;
        }
        return mariadb;
    }

    /** MariaDB refuses to run as root unless told to, and would otherwise switch to a user of its own. */
    private static void runAsRootIfRoot(List<String> command) {
        if (ExternalPrograms.runningAsRoot()) {
            command.add("--user=root");
        }
    }

    @Override
    List<String> serverCommand() {
        List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults",
                "--datadir=" + dir().resolve("data"), "--socket=" + dir().resolve("mariadbd.sock"),
                "--pid-file=" + dir().resolve("mariadbd.pid"), "--port=" + port(), "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                // Test data: the log reaches the OS at each commit but is not synced (a kill -9 of mariadbd alone
                // loses nothing by it), and a small buffer pool on a shared machine.
                "--innodb-flush-log-at-trx-commit=2", "--innodb-buffer-pool-size=32M"));
        runAsRootIfRoot(command);
        return command;
    }

    @Override
    String adminUrl() {
        return url("mysql");
    }

    @Override
    String adminUser() {
        return "root";
    }

    @Override
    String adminPassword() {
        return "";
    }

    @Override
    void stopServer() {
        process().destroy(); // SIGTERM: mariadbd ends its sessions and shuts down
    }

    /** A new, empty database with the server's default character set, all granted to {@link #USER}. */
    public String createDatabase() throws SQLException {
        String name = "chat_" + databases.incrementAndGet();
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            s.execute("GRANT ALL ON " + name + ".* TO '" + USER + "'@'%'");
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + database;
    }
}
