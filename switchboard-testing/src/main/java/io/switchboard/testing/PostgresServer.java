package io.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real PostgreSQL server for tests, from the machine's binaries (Debian's postgresql package): initdb into a
 * temporary directory, postgres on a free loopback port, stopped and deleted on {@link #close()}. PostgreSQL
 * refuses to run as root, so under root it runs as {@code nobody} through {@code runuser}. For fault tests it can be
 * frozen (SIGSTOP), thawed, killed with SIGKILL and restarted on the same port and data.
 */
public final class PostgresServer implements AutoCloseable {
    private static final String RUN_AS = "nobody";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();
    private volatile Process process;
    private volatile boolean frozen;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
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

    /** Starts postgres on the data directory and waits until it takes connections. */
    private void launch() throws IOException {
        Path data = dir.resolve("data");
        // -F: no fsync; the data is thrown away after the test (a kill -9 of postgres alone loses nothing by it).
        process = new ProcessBuilder(command(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", String.valueOf(port), "-k", dir.resolve("socket").toString(), "-h", "127.0.0.1", "-F"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                .start();
        Process started = process;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("postgres exited: " + Files.readString(
                                dir.resolve("postgres.log")));
                    }
                    try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "")) {
                        return c.isValid(1);
                    }
                });
    }

    /** Every process of the server: the launcher (runuser under root), the postmaster and its backends. */
    private List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.toHandle().descendants().forEach(all::add);
        return all;
    }

    /** A backend may end between the listing and the signal: only a live process must take it. */
    private static void signal(String name, ProcessHandle process) {
        try {
            Signals.send(name, process.pid());
        } catch (IllegalStateException e) {
            if (process.isAlive()) {
                throw e;
            }
        }
    }

    /** Freezes every process of the server with SIGSTOP: connections stay open and nothing is answered. */
    public void freeze() {
        processes().forEach(p -> signal("STOP", p));
        frozen = true;
    }

    /** Lets a {@link #freeze() frozen} server go on with SIGCONT. */
    public void thaw() {
        processes().forEach(p -> signal("CONT", p));
        frozen = false;
    }

    /** Kills every process of the server with SIGKILL, as a crash of the machine's database would. */
    public void kill() throws InterruptedException {
        List<ProcessHandle> all = processes();
        all.forEach(ProcessHandle::destroyForcibly); // SIGKILL
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("postgres process " + p.pid() + " outlived kill -9", e);
            }
        }
        frozen = false;
    }

    /** Starts the server again on its port and data, after {@link #kill()}: it recovers from its log. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("postgres is running");
        }
        launch();
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
        try {
            server.launch();
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A new, empty database: each test gets its own. Returns its JDBC URL. */
    public String createDatabase() throws SQLException {
        String name = "chat_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws Exception {
        try {
            if (frozen) {
                thaw(); // a stopped server would not act on pg_ctl stop
            }
            if (process != null && process.isAlive()) {
                // Fast shutdown: ends sessions at once (a plain SIGTERM would wait for them).
                run(dir, command(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "stop",
                        "-m", "fast", "-w"), dir.resolve("pg_ctl.log"), Duration.ofSeconds(30));
            }
            if (process != null && !process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        if (ExternalPrograms.runningAsRoot()) {
            command.addAll(List.of("runuser", "-u", RUN_AS, "--"));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static void run(Path dir, List<String> command, Path log, Duration timeout) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed with " + p.exitValue() + ":\n" + Files.readString(log));
        }
    }

    private static void giveTo(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName(RUN_AS));
        GroupPrincipal group = users.lookupPrincipalByGroupName("nogroup");
        view.setGroup(group);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
