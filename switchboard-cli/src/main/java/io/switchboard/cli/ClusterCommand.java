package io.switchboard.cli;

import io.switchboard.chat.ChatConfig;
import io.switchboard.common.port.PortPlan;
import io.switchboard.registry.zookeeper.EmbeddedZooKeeperServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code switchboard cluster up|down}: a local cluster of child processes from this same installation. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start or stop a local cluster: registry, gates, demo and chat nodes as child processes.",
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class})
final class ClusterCommand implements Runnable {
    static final String PID_FILE = "cluster.pid";
    /** Chat nodes take programs after this one (admin ports 199(50+PP)). */
    static final int CHAT_PROGRAMS = 20;
    /** Random bytes in each secret `cluster up` makes (hex in the environment). */
    static final int SECRET_BYTES = 32;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The java command and class path of this JVM, to start children from the same installation. */
    static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start registry, gates and nodes; print their ports; write pids to <run-dir>/cluster.pid.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--gates", description = "Gates to start (default ${DEFAULT-VALUE}).")
        int gates = 2;

        @Option(names = "--nodes", description = "Demo nodes to start (default ${DEFAULT-VALUE}).")
        int nodes = 2;

        @Option(names = "--run-dir", description = "Folder for the pid file, logs and registry data "
                + "(default ${DEFAULT-VALUE}).")
        File runDir = new File("switchboard-run");

        @Option(names = "--chat-nodes", description = "Chat nodes to start (default ${DEFAULT-VALUE}); with any, the "
                + "gates serve the chat page and accept chat tokens.")
        int chatNodes = 0;

        @Option(names = "--chat-db", description = "Chat database JDBC URL shared by gates and chat nodes (default: an "
                + "H2 file in the run folder, in H2's AUTO_SERVER mode so several processes share it).")
        String chatDb;

        @Option(names = "--directory", description = "Session directory of the gates: 'memory' (per gate) or "
                + "redis://host:port, shared, for single login across gates (default ${DEFAULT-VALUE}).")
        String directory = SessionDirectories.MEMORY;

        @Option(names = "--registry-port", description = "Registry port (default ${DEFAULT-VALUE}).")
        int registryPort = EmbeddedZooKeeperServer.DEFAULT_PORT;

        @Override
        public Integer call() throws Exception {
            Path dir = runDir.toPath();
            Path pidFile = dir.resolve(PID_FILE);
            if (Files.exists(pidFile) && readPids(pidFile).stream().anyMatch(p -> p.handle().isPresent())) {
                System.err.println("a cluster is already running from " + pidFile + "; run 'switchboard cluster down'");
                return 1;
            }
            Files.createDirectories(dir);
            List<String> lines = new ArrayList<>();
            String registry = "zk://127.0.0.1:" + registryPort + "/switchboard";
            lines.add(start(dir, "registry", List.of("registry", "--port", Integer.toString(registryPort),
                    "--data", dir.resolve("registry-data").toString())));
            Files.write(pidFile, lines);
            if (!awaitPort(registryPort, Duration.ofSeconds(30))) {
                System.err.println("the registry did not come up; see " + dir.resolve("registry.log"));
                return 1;
            }
            System.out.printf("registry  %s%n", registry);
            String chatUrl = chatDb != null ? chatDb
                    // AUTO_SERVER lets several processes share the file; H2 refuses it with DB_CLOSE_ON_EXIT.
                    : "jdbc:h2:file:" + dir.resolve("chat").toAbsolutePath() + ";AUTO_SERVER=TRUE";
            if (chatNodes > 0 && System.getenv(ChatOptions.TOKEN_SECRET_ENV) == null) {
                // Every child gets the same secret, so a token from one process is good on all of them.
                childEnvironment.put(ChatOptions.TOKEN_SECRET_ENV, randomSecret());
            }
            if (System.getenv(ClusterLinkOptions.SECRET_ENV) == null) {
                // The gates and nodes of this cluster, and no one else, can link to one another.
                childEnvironment.put(ClusterLinkOptions.SECRET_ENV, randomSecret());
            }
            if (chatNodes > 0 && gates > 1 && SessionDirectories.MEMORY.equals(directory)) {
                System.out.println("note: with --directory memory a chat user logs in once per gate, not once per "
                        + "cluster; give --directory redis://host:port for that");
            }
            for (int i = 1; i <= gates; i++) {
                List<String> args = new ArrayList<>(List.of("gate", "--registry", registry, "--program",
                        Integer.toString(i), "--directory", directory));
                if (chatNodes > 0) {
                    args.addAll(List.of("--chat", "--chat-db", chatUrl));
                }
                lines.add(start(dir, "gate-" + i, args));
                System.out.printf("gate-%d    clients tcp://127.0.0.1:%d  cluster %d  admin http://127.0.0.1:%d%n",
                        i, PortPlan.gate(i), PortPlan.port(PortPlan.DEFAULT_PROJECT, PortPlan.SERVICE, i),
                        PortPlan.admin(i));
            }
            for (int i = 1; i <= nodes; i++) {
                lines.add(start(dir, "demo-" + i, List.of("service", "demo", "--registry", registry, "--program",
                        Integer.toString(i))));
                System.out.printf("demo-%d    admin http://127.0.0.1:%d%n", i, PortPlan.admin(50 + i));
            }
            for (int i = 1; i <= chatNodes; i++) {
                // Programs 21.. so their admin ports do not meet the demo nodes'.
                lines.add(start(dir, "chat-" + i, List.of("service", "chat", "--registry", registry, "--program",
                        Integer.toString(CHAT_PROGRAMS + i), "--id", "chat-" + i,
                        "--chat-db", chatUrl)));
                System.out.printf("chat-%d    admin http://127.0.0.1:%d%n", i, PortPlan.admin(50 + CHAT_PROGRAMS + i));
            }
            if (chatNodes > 0) {
                System.out.printf("chat page http://127.0.0.1:%d/%n", PortPlan.gate(1));
            }
            Files.write(pidFile, lines);
            // Return only once every gate takes clients, so the next command can connect at once.
            for (int i = 1; i <= gates; i++) {
                if (!awaitPort(PortPlan.gate(i), Duration.ofSeconds(60))) {
                    System.err.println("gate-" + i + " did not come up; see " + dir.resolve("gate-" + i + ".log"));
                    return 1;
                }
            }
            System.out.println("pids in " + pidFile.toAbsolutePath() + "; logs in " + dir.toAbsolutePath());
            return 0;
        }

        private final java.util.Map<String, String> childEnvironment = new java.util.HashMap<>();

        /** A fresh secret for the children, passed in their environment: it never shows in a command line. */
        private static String randomSecret() {
            byte[] secret = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            return HexFormat.of().formatHex(secret);
        }

        private String start(Path dir, String name, List<String> args) throws IOException {
            List<String> command = new ArrayList<>(javaCommand());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(childEnvironment);
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return Child.of(name, process.toHandle()).line();
        }

        private static boolean awaitPort(int port, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return true;
                } catch (IOException e) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            return false;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the cluster started by 'cluster up' (SIGTERM: each process drains up to 8 s).")
    static final class Down implements Callable<Integer> {
        @Option(names = "--run-dir", description = "The run folder given to 'cluster up' (default ${DEFAULT-VALUE}).")
        File runDir = new File("switchboard-run");

        @Override
        public Integer call() throws Exception {
            Path pidFile = runDir.toPath().resolve(PID_FILE);
            if (!Files.exists(pidFile)) {
                System.err.println("no cluster: " + pidFile + " does not exist");
                return 1;
            }
            List<Child> children = readPids(pidFile);
            // Gates and nodes first, the registry last, so they can leave it cleanly.
            Collections.reverse(children);
            for (Child child : children) {
                if (ProcessHandle.of(child.pid()).filter(ProcessHandle::isAlive).isPresent()
                        && child.handle().isEmpty()) {
                    System.out.printf("left %s alone: pid %d is now another process%n", child.name(), child.pid());
                }
                child.handle().ifPresent(handle -> {
                    handle.destroy();
                    try {
                        handle.onExit().get(12, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        handle.destroyForcibly();
                    }
                    System.out.printf("stopped %s (pid %d)%n", child.name(), child.pid());
                });
            }
            Files.delete(pidFile);
            return 0;
        }
    }

    /**
     * A child of {@code cluster up}: its name, pid and, when the platform tells it, its start instant. A pid alone
     * may name an unrelated process after a reboot or pid reuse; the start instant tells them apart.
     */
    record Child(String name, long pid, Optional<Instant> start) {
        /** Start instants read in two JVMs may differ by clock-tick rounding; a reused pid is seconds apart. */
        static final Duration SAME_START = Duration.ofSeconds(1);

        static Child of(String name, ProcessHandle process) {
            return new Child(name, process.pid(), process.info().startInstant());
        }

        /** {@code name pid [start]}, a line of the pid file. */
        String line() {
            return name + " " + pid + start.map(at -> " " + at).orElse("");
        }

        /** The live process this child still is; empty when gone or when the pid now names another process. */
        Optional<ProcessHandle> handle() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isThisChild);
        }

        private boolean isThisChild(ProcessHandle process) {
            Optional<Instant> started = process.info().startInstant();
            if (start.isPresent()) {
                return started.isPresent()
                        && Duration.between(start.get(), started.get()).abs().compareTo(SAME_START) <= 0;
            }
            // A pid file from before start instants were written, or from a platform without them: signal only a
            // process whose command line shows it is one of ours.
            return process.info().commandLine().or(() -> process.info().arguments().map(a -> String.join(" ", a)))
                    .filter(command -> command.contains(Main.class.getName())).isPresent();
        }
    }

    /** The children in {@code pidFile}; a line that is not {@code name pid [start]} fails the command in one line. */
    static List<Child> readPids(Path pidFile) throws IOException {
        List<Child> children = new ArrayList<>();
        List<String> lines = Files.readAllLines(pidFile);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            try {
                if (parts.length != 2 && parts.length != 3) {
                    throw new IllegalArgumentException("not 'name pid [start]'");
                }
                long pid = Long.parseLong(parts[1]);
                Optional<Instant> start = parts.length == 3 ? Optional.of(Instant.parse(parts[2])) : Optional.empty();
                children.add(new Child(parts[0], pid, start));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new CommandFailure(pidFile + ":" + (i + 1) + ": not 'name pid [start]': " + line
                        + "; stop those processes by hand and remove the file");
            }
        }
        return children;
    }
}
