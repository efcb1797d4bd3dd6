package io.switchboard.bench.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One local server in a child JVM ({@link ServerMain}) on this JVM's class path, optionally pinned to CPUs with
 * {@code taskset}: its heap holds the server alone, its resident size can be read from {@code /proc}, and its
 * sockets count against its own file limit rather than the generator's.
 */
final class ChildJvm implements AutoCloseable {
    private static final int KEPT_OUTPUT_LINES = 40;
    static final String KIND_PLACEHOLDER = "{kind}";

    private final String kind;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Deque<String> output = new ArrayDeque<>();
    private final int port;
    private final int adminPort;

    /**
     * @param resume whether a gate parks dropped sessions for a resume
     * @param cpus a {@code taskset} CPU list such as {@code 1} or {@code 0-1}, or null to run unpinned
     * @param registry a cluster process's registry connect string, or null
     */
    ChildJvm(String kind, List<String> jvmArgs, int threads, boolean resume, String cpus, String registry)
            throws IOException {
        this.kind = kind;
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String logging = System.getProperty("logback.configurationFile");
        if (logging != null) {
            command.add("-Dlogback.configurationFile=" + logging); // the server logs as quietly as the generator
        }
        // "{kind}" in an option names this child's own file, e.g. a flight recording per cluster process.
        jvmArgs.forEach(arg -> command.add(arg.replace(KIND_PLACEHOLDER, kind)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServerMain.class.getName());
        command.add(kind);
        command.add(String.valueOf(threads));
        command.add(String.valueOf(resume));
        if (registry != null) {
            command.add(registry);
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "bench-" + kind + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String ready = answer(ServerMain.READY, 60);
            String[] parts = ready.split(" ");
            port = Integer.parseInt(parts[1]);
            adminPort = Integer.parseInt(parts[2]);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(ServerMain.READY) || line.startsWith(ServerMain.MEMORY)) {
                    answers.add(line);
                } else {
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > KEPT_OUTPUT_LINES) {
                            output.removeFirst();
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // the child is gone; answer() reports it
        }
    }

    private String answer(String marker, int timeoutSeconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (System.nanoTime() < deadline) {
                String line = answers.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(marker)) {
                    return line;
                }
                if (line == null && !process.isAlive() && answers.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String tail;
        synchronized (output) {
            tail = String.join("\n", output);
        }
        throw new IOException("the " + kind + " server in the child JVM did not answer"
                + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; its last output:\n" + tail);
    }

    int port() {
        return port;
    }

    int adminPort() {
        return adminPort;
    }

    String kind() {
        return kind;
    }

    long pid() {
        return process.pid();
    }

    /** The child's heap and direct memory after a full GC, its RSS, and its client connections. */
    MemorySample memory() {
        try {
            commands.write("memory\n");
            commands.flush();
            String[] parts = answer(ServerMain.MEMORY, 120).split(" ");
            long connections = Long.parseLong(parts[3]);
            if (connections < 0 && adminPort > 0) {
                connections = (long) PrometheusText.fetch(LocalServer.metricsUri(adminPort))
                        .sum("switchboard_gate_connections");
            }
            return new MemorySample(Long.parseLong(parts[1]), Long.parseLong(parts[2]), residentBytes(), connections,
                    true, "child JVM after a full GC; RSS from /proc");
        } catch (IOException e) {
            throw new IllegalStateException("could not read the server's memory: " + e.getMessage(), e);
        }
    }

    /** VmRSS of the child, or -1 where there is no {@code /proc}. */
    private long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            commands.write("exit\n");
            commands.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
