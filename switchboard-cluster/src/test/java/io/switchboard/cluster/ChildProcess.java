package io.switchboard.cluster;

import io.switchboard.client.SwitchboardClient;
import io.switchboard.testing.Signals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * One {@link ClusterProcessMain} in a child JVM with the test's class path: its output lines kept, its admin HTTP
 * read, and signals sent to it.
 */
record ChildProcess(String id, Process process, List<String> lines) implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Starts {@code ClusterProcessMain args...} with {@code env} added to its environment. */
    static ChildProcess start(String id, Map<String, String> env, List<String> jvmOptions, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterProcessMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // the process ended
            }
        }, "child-" + id);
        reader.setDaemon(true);
        reader.start();
        return new ChildProcess(id, process, lines);
    }

    boolean said(String prefix) {
        return lines.stream().anyMatch(line -> line.startsWith(prefix));
    }

    /** The number after the first line starting {@code prefix} (say {@code "READY "}). */
    int value(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> Integer.parseInt(l.substring(prefix.length())))
                .findFirst().orElseThrow();
    }

    int readyValue() {
        return value("READY ");
    }

    /** Waits until the process says READY; fails with its output if it exits first. */
    ChildProcess awaitReady(Duration atMost) {
        await().atMost(atMost).until(() -> said("READY ") || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException(id + " exited: " + lines);
        }
        return this;
    }

    private String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + value("ADMIN ") + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of the samples of {@code meter} whose labels contain {@code label}, from the admin {@code /metrics}. */
    private static double sum(String metrics, String meter, String label) {
        return metrics.lines().filter(l -> l.startsWith(meter + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Live threads of the process, from its admin {@code /metrics} (Micrometer's JVM thread meters). */
    long liveThreads() throws Exception {
        return metrics().lines().filter(l -> l.startsWith("jvm_threads_live_threads"))
                .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no jvm_threads_live_threads in " + id + "'s /metrics"));
    }

    /** Heap used after a full GC ({@code jcmd <pid> GC.run}) and direct buffer memory, from {@code /metrics}. */
    HeapAndDirect memory() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!jcmd.waitFor(20, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                jcmd.destroyForcibly();
                throw new IllegalStateException("jcmd " + process.pid() + " GC.run failed for " + id);
            }
            String metrics = metrics();
            return new HeapAndDirect((long) sum(metrics, "jvm_memory_used_bytes", "area=\"heap\""),
                    (long) sum(metrics, "jvm_buffer_memory_used_bytes", "id=\"direct\""));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + id + "'s memory", e);
        }
    }

    /**
     * A client SDK connection to this gate (its {@code READY} port), connected, with {@code requestTimeout}; handed
     * to {@code closeLater} to be closed at the end of the test.
     */
    SwitchboardClient connectClient(Duration requestTimeout, Consumer<AutoCloseable> closeLater) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + readyValue()))
                .requestTimeout(requestTimeout).build();
        closeLater.accept(() -> client.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        client.connect().get(20, TimeUnit.SECONDS);
        return client;
    }

    /** kill -9, waiting until it is gone. */
    void kill() {
        Signals.kill(process);
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly();
        process.onExit().get(10, TimeUnit.SECONDS);
    }
}
