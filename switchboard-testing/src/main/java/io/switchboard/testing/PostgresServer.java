package io.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from the machine's binaries (Debian's postgresql package): initdb into a
 * temporary directory, postgres on a free loopback port, stopped and deleted on {@link #close()}. PostgreSQL
 * refuses to run as root, so under root it runs as {@code nobody} through {@code runuser}. For fault tests it can be
 * frozen (SIGSTOP), thawed, killed with SIGKILL and restarted on the same port and data.
 */
public final class PostgresServer extends LocalDatabaseServer {
    private static final String RUN_AS = "nobody";

    private final Path bin;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path bin, Path dir, int port) {
        super("postgres", dir, port);
        this.bin = bin;
    }

    /** The newest installed PostgreSQL's bin directory, or null. */
    public static Path findBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static PostgresServer start(Path bin) throws Exception {
        Path dir = Files.createTempDirectory("switchboard-pg-");
        Path data = dir.resolve("data");
        Path socket = Files.createDirectory(dir.resolve("socket"));
        if (ExternalPrograms.runningAsRoot()) {
            giveTo(dir);
            giveTo(socket);
        }
        run(dir, command(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-sync"), dir.resolve("initdb.log"), Duration.ofMinutes(2));
        PostgresServer server = new PostgresServer(bin, dir, FreePort.next());
        server.launchOrClose();
        return server;
    }

    @Override
    List<String> serverCommand() {
        // -F: no fsync; the data is thrown away after the test (a kill -9 of postgres alone loses nothing by it).
        return command(bin.resolve("postgres").toString(), "-D", dir().resolve("data").toString(),
                "-p", String.valueOf(port()), "-k", dir().resolve("socket").toString(), "-h", "127.0.0.1", "-F");
    }

    @Override
    String adminUrl() {
        return url("postgres");
    }

    @Override
    String adminUser() {
        return "postgres";
    }

    @Override
    String adminPassword() {
        return "";
    }

    @Override
    void stopServer() throws Exception {
        // Fast shutdown: ends sessions at once (a plain SIGTERM would wait for them).
        run(dir(), command(bin.resolve("pg_ctl").toString(), "-D", dir().resolve("data").toString(), "stop",
                "-m", "fast", "-w"), dir().resolve("pg_ctl.log"), Duration.ofSeconds(30));
    }

    /** A new, empty database: each test gets its own. Returns its JDBC URL. */
    public String createDatabase() throws SQLException {
        String name = "chat_" + databases.incrementAndGet();
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        if (ExternalPrograms.runningAsRoot()) {
            command.addAll(List.of("runuser", "-u", RUN_AS, "--"));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static void giveTo(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(RUN_AS));
        GroupPrincipal group = users.lookupPrincipalByGroupName("nogroup");
        view.setGroup(group);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }
}
