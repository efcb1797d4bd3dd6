package io.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ProcessRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Integer> exits = new CopyOnWriteArrayList<>();
    private ProcessRuntime runtime;

    /** A part that records its life and holds {@code sessions} until told otherwise. */
    private final class RecordingPart implements ProcessPart {
        final String name;
        final AtomicInteger sessions = new AtomicInteger();
        final boolean failStart;

        RecordingPart(String name, boolean failStart) {
            this.name = name;
            this.failStart = failStart;
        }

        @Override
        public void start(ProcessRuntime runtime) {
            events.add("start " + name);
            if (failStart) {
                throw new IllegalStateException(name + " cannot start");
            }
        }

        @Override
        public void stopTakingNew() {
            events.add("stop taking new " + name);
        }

        @Override
        public void shuttingDown() {
            events.add("shutting down " + name);
        }

        @Override
        public int inFlight() {
            return sessions.get();
        }

        @Override
        public void health(ObjectNode health) {
            health.put(name + "Sessions", sessions.get());
        }

        @Override
        public void close() {
            events.add("close " + name);
        }
    }

    private ProcessConfig.Builder config() {
        return ProcessConfig.builder("test").id("t-1").version(3).exit(exits::add);
    }

    private ProcessConfig.Builder withoutAdmin() {
        return config().admin("127.0.0.1", ProcessConfig.ADMIN_OFF);
    }

    @AfterEach
    void closeRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void partsStartInOrderAndCloseInReverseOrder() throws Exception {
        runtime = ProcessRuntime.of(withoutAdmin().build())
                .add(new RecordingPart("a", false)).add(new RecordingPart("b", false)).start();
        assertThat(runtime.state()).isEqualTo(ProcessRuntime.State.SERVING);
        runtime.close();
        runtime.close();
        assertThat(events).containsExactly("start a", "start b", "close b", "close a");
        assertThat(runtime.isClosed()).isTrue();
    }

    @Test
    void aPartAddedFirstStartsBeforeAndClosesAfterTheOthers() throws Exception {
        runtime = ProcessRuntime.of(withoutAdmin().build())
                .add(new RecordingPart("a", false)).addFirst(new RecordingPart("events", false)).start();
        runtime.close();
        assertThat(events).containsExactly("start events", "start a", "close a", "close events");
        assertThatThrownBy(() -> runtime.addFirst(new RecordingPart("late", false)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedStartClosesWhatStartedAndRethrows() {
        runtime = ProcessRuntime.of(config().build())
                .add(new RecordingPart("a", false)).add(new RecordingPart("b", true))
                .add(new RecordingPart("c", false));
        assertThatThrownBy(runtime::start).isInstanceOf(IllegalStateException.class).hasMessage("b cannot start");
        assertThat(events).containsExactly("start a", "start b", "close b", "close a");
        assertThat(runtime.isClosed()).isTrue();
    }

    @Test
    void partsCannotBeAddedOnceStarted() throws Exception {
        runtime = ProcessRuntime.of(withoutAdmin().build()).start();
        assertThatThrownBy(() -> runtime.add(new RecordingPart("late", false)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(runtime.adminPort()).isEqualTo(-1);
        assertThat(runtime.adminAddress()).isNull();
    }

    @Test
    void aDrainWaitsForTheLastSessionThenClosesAndExits() throws Exception {
        RecordingPart part = new RecordingPart("gate", false);
        part.sessions.set(2);
        runtime = ProcessRuntime.of(withoutAdmin().build()).add(part).start();
        runtime.drain("test");
        await().atMost(5, TimeUnit.SECONDS).until(() -> events.contains("stop taking new gate"));
        assertThat(runtime.isDraining()).isTrue();
        assertThat(runtime.health().get("status").asText()).isEqualTo("DRAINING");
        part.sessions.set(1);
        runtime.sessionEnded();
        part.sessions.set(0);
        runtime.sessionEnded();
        await().atMost(5, TimeUnit.SECONDS).until(() -> exits.equals(List.of(0)));
        assertThat(runtime.isClosed()).isTrue();
        assertThat(events).containsSubsequence("stop taking new gate", "close gate");
        assertThat(events).doesNotContain("shutting down gate");
    }

    @Test
    void aShutdownLeavesFirstAndStopsAfterTheGraceWithoutCallingExit() throws Exception {
        RecordingPart part = new RecordingPart("node", false);
        part.sessions.set(1);
        runtime = ProcessRuntime.of(withoutAdmin().shutdownGrace(Duration.ofMillis(50)).build()).add(part).start();
        runtime.shutdown();
        assertThat(events).containsExactly("start node", "shutting down node", "stop taking new node", "close node");
        assertThat(runtime.isClosed()).isTrue();
        assertThat(exits).isEmpty();
    }

    @Test
    void adminServesHealthMetricsAndShutdown() throws Exception {
        RecordingPart part = new RecordingPart("gate", false);
        part.sessions.set(4);
        runtime = ProcessRuntime.of(config().admin("127.0.0.1", 0).adminToken("s3cret").build()).add(part).start();
        assertThat(runtime.adminAddress()).isEqualTo("http://127.0.0.1:" + runtime.adminPort());

        JsonNode health = JSON.readTree(get("/health").body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("kind").asText()).isEqualTo("test");
        assertThat(health.get("id").asText()).isEqualTo("t-1");
        assertThat(health.get("version").asInt()).isEqualTo(3);
        assertThat(health.get("gateSessions").asInt()).isEqualTo(4);

        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("switchboard_workers_waiting", "jvm_memory_used_bytes",
                "jvm_buffer_memory_used_bytes", "jvm_threads_live_threads", "process_files_open_files",
                "process_uptime_seconds");

        HttpResponse<String> shutdown = http.send(HttpRequest.newBuilder(admin("/shutdown"))
                .header("Authorization", "Bearer s3cret")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(shutdown.statusCode()).isEqualTo(202);
        await().atMost(5, TimeUnit.SECONDS).until(runtime::isDraining);
        part.sessions.set(0);
        runtime.sessionEnded();
        await().atMost(5, TimeUnit.SECONDS).until(() -> exits.equals(List.of(0)));
    }

    @Test
    void adminWritesAreOffWithoutATokenAndNeedItWithOne() throws Exception {
        runtime = ProcessRuntime.of(config().admin("127.0.0.1", 0).adminToken(null).build()).start();
        assertThat(post("/shutdown", null).statusCode()).isEqualTo(403);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        runtime.close();

        runtime = ProcessRuntime.of(config().admin("127.0.0.1", 0).adminToken("right").build()).start();
        assertThat(post("/shutdown", "wrong").statusCode()).isEqualTo(401);
        assertThat(post("/shutdown", null).statusCode()).isEqualTo(401);
        assertThat(runtime.isDraining()).isFalse();
        assertThat(runtime.config().toString()).doesNotContain("right");
    }

    @Test
    void requestsNamingAnotherHostOrOriginAreRefused() throws Exception {
        runtime = ProcessRuntime.of(config().admin("127.0.0.1", 0).adminToken("right").build()).start();
        // DNS rebinding: the browser sends the attacker's host name to our loopback port.
        assertThat(raw("GET /health HTTP/1.1\r\nHost: evil.example:80\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(raw("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 200");
        // A cross-site form post, even with the token a page could not know anyway.
        assertThat(raw("POST /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n"
                + "Authorization: Bearer right\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(runtime.isDraining()).isFalse();
    }

    @Test
    void theDefaultsAreTheSameForEveryKind() {
        ProcessConfig gate = ProcessConfig.builder("gate").build();
        ProcessConfig node = ProcessConfig.builder("chat").build();
        for (ProcessConfig config : List.of(gate, node)) {
            assertThat(config.adminHost()).isEqualTo("127.0.0.1");
            assertThat(config.adminPort()).isEqualTo(ProcessConfig.DEFAULT_ADMIN_PORT);
            assertThat(config.workerQueue()).isEqualTo(ProcessConfig.DEFAULT_WORKER_QUEUE);
            assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(8));
            assertThat(config.effectiveWorkerThreads()).isGreaterThanOrEqualTo(2);
        }
        assertThat(gate.id()).startsWith("gate-");
        assertThatThrownBy(() -> ProcessConfig.builder("x").admin("127.0.0.1", 70_000).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(admin(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request as written, for headers HttpClient will not let a caller set (Host). */
    private String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", runtime.adminPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            int read = 0;
            while (read < head.length) {
                int n = socket.getInputStream().read(head, read, head.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new String(head, 0, read, java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @Test
    void theRegistryCapsTheValuesOfEachTagOfSwitchboardMeters() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        runtime = ProcessRuntime.of(withoutAdmin().meters(meters).build());
        for (int i = 0; i < TagValueCap.MAX_VALUES_PER_TAG + 500; i++) {
            meters.counter("switchboard.test.kicks", "reason", "body too large: " + i).increment();
            meters.counter("other.library", "id", String.valueOf(i)).increment();
        }
        assertThat(meters.find("switchboard.test.kicks").counters()).hasSize(TagValueCap.MAX_VALUES_PER_TAG);
        assertThat(meters.find("other.library").counters()).hasSize(TagValueCap.MAX_VALUES_PER_TAG + 500);
        // A known value still counts once the cap is reached.
        meters.counter("switchboard.test.kicks", "reason", "body too large: 0").increment();
        assertThat(meters.get("switchboard.test.kicks").tag("reason", "body too large: 0").counter().count())
                .isEqualTo(2);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(admin(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI admin(String path) {
        return URI.create(runtime.adminAddress() + path);
    }
}
