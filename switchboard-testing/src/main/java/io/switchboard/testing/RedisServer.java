package io.switchboard.testing;


import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} for one test class (shared by every module that tests against Redis): started from the binary on a free loopback port with a temp
 * directory and no persistence, stopped and cleaned up by {@link #close()}. When the binary is missing the test is
 * skipped with a loud message, unless {@code CI=true}: then it fails.
 */
public final class RedisServer implements AutoCloseable {
    private final List<String> command;
    private volatile Process process;
    private final Path dir;
    private final int port;
    private volatile boolean frozen;

    private RedisServer(List<String> command, Path dir, int port) {
        this.command = List.copyOf(command);
        this.dir = dir;
        this.port = port;
    }

    private Process launch() throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
    }

    private void awaitServing() {
        Process started = process;
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Starts a server, or skips (fails with CI=true) the calling test when the binary is missing. */
    public static RedisServer start() throws IOException {
        return start(new String[0]);
    }

    /**
     * Starts a server with more configuration as {@code redis-server} takes it on its command line, for example
     * {@code "--user", "app", "on", ">secret", "~*", "&*", "+@all", "--user", "default", "off"}.
     */
    public static RedisServer start(String... config) throws IOException {
        Path found = ExternalPrograms.find("redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server");
        if (found == null) {
            ExternalPrograms.missing("redis-server (Debian package redis-server)");
        }
        String binary = found.toString();
        Path dir = Files.createTempDirectory("switchboard-redis");
        int port = FreePort.next();
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no"));
        command.addAll(List.of(config));
        RedisServer server = new RedisServer(command, dir, port);
        try {
            server.process = server.launch();
            server.awaitServing();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Freezes the server with SIGSTOP: its connections stay open but nothing is answered, as with a server that hangs
     * or a network that drops packets silently. {@link #thaw()} (or {@link #close()}) lets it go on.
     */
    public void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** Lets a {@link #freeze() frozen} server go on with SIGCONT. */
    public void thaw() {
        signal("CONT");
        frozen = false;
    }

    private void signal(String name) {
        Signals.send(name, process.pid());
    }

    /** Kills the server with SIGKILL: its clients see their connections drop; {@link #restart()} brings it back. */
    public void kill() {
        Signals.kill(process);
        frozen = false;
    }

    /** Starts the server again on the same port and directory, after {@link #kill()}; empty, as it keeps no data. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server is running");
        }
        process = launch();
        awaitServing();
    }

    @Override
    public void close() {
        if (frozen) {
            thaw(); // a stopped process would not act on SIGTERM
        }
        if (process == null) {
            deleteDirectory();
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteDirectory();
    }

    private void deleteDirectory() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is not worth failing a test for
        }
    }
}
