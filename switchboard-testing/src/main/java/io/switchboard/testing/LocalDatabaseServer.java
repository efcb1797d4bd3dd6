package io.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A database server for tests from the machine's binaries: its files in a temporary directory, listening on a free
 * loopback port, ready once a real JDBC connection works, stopped and deleted on {@link #close()}. For fault tests
 * it can be frozen (SIGSTOP), thawed, killed with SIGKILL and restarted on the same port and data. Subclasses say
 * how to start and stop it and how to connect as its administrator.
 */
public abstract class LocalDatabaseServer implements AutoCloseable {
    private final String name;
    private final Path dir;
    private final int port;
    private volatile Process process;
    private volatile boolean frozen;

    LocalDatabaseServer(String name, Path dir, int port) {
        this.name = name;
        this.dir = dir;
        this.port = port;
    }

    /** The command that runs the server in the foreground on {@link #dir()} and {@link #port()}. */
    abstract List<String> serverCommand();

    /** The administrator's JDBC URL, user and password, to tell when the server is ready. */
    abstract String adminUrl();

    abstract String adminUser();

    abstract String adminPassword();

    /** Asks the running server to stop at once (its process is then awaited, and killed if it lingers). */
    abstract void stopServer() throws Exception;

    final Path dir() {
        return dir;
    }

    public final int port() {
        return port;
    }

    final Path log() {
        return dir.resolve(name + ".log");
    }

    /** A new connection as the administrator. */
    final Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(adminUrl(), adminUser(), adminPassword());
    }

    /** Starts the server and waits until it takes connections; closes this (deleting the files) when it fails. */
    final void launchOrClose() throws Exception {
        try {
            launch();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(serverCommand())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        Process started = process;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException(name + " exited: " + Files.readString(log()));
                    }
                    try (Connection c = adminConnection()) {
                        return c.isValid(1);
                    }
                });
    }

    /** Every process of the server: the launcher and its children (runuser, a postmaster and its backends). */
    private List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.toHandle().descendants().forEach(all::add);
        return all;
    }

    /** A child may end between the listing and the signal: only a live process must take it. */
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
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(name + " process " + p.pid() + " outlived kill -9", e);
            }
        }
        frozen = false;
    }

    /** Starts the server again on its port and data, after {@link #kill()}: it recovers from its log. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        launch();
    }

    @Override
    public void close() throws Exception {
        try {
            if (frozen) {
                thaw(); // a stopped server would not act on a request to stop
            }
            if (process != null && process.isAlive()) {
                stopServer();
            }
            if (process != null && !process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Runs a command of the server's tools to its end, failing with its output when it fails or overruns. */
    static void run(Path dir, List<String> command, Path log, Duration timeout) throws Exception {
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

    /** The process of the running server, for subclasses that stop it with a signal. */
    final Process process() {
        return process;
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
