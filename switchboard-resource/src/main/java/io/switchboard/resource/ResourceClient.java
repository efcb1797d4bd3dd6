package io.switchboard.resource;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What a process uses to read the resource manager (DESIGN §8): its module's kv config at start ({@link #kv}), and
 * its dependencies' live endpoints, nearest first, kept current by a blocking watch ({@link #start},
 * {@link #dependencies}). When the manager is unreachable the last known answer stays, and the client retries with
 * exponential backoff ({@link WatchLoop}).
 *
 * <p>One daemon thread per client runs the HTTP callbacks and the retries; the watch itself holds no thread.
 *
 * <pre>{@code
 * ResourceClient client = ResourceClient.builder(URI.create("http://127.0.0.1:12201"), "gate")
 *         .idc("shenzhen_01").set("set_01").build();
 * Map<String, String> kv = client.kv();
 * client.start();
 * List<ResourceEndpoint> groups = client.dependencies().get("group");
 * }</pre>
 */
public final class ResourceClient implements AutoCloseable {
    private final Builder b;
    private final ScheduledExecutorService thread;
    private final HttpClient http;
    private final WatchLoop loop;
    private volatile Map<String, List<ResourceEndpoint>> dependencies = Map.of();

    private ResourceClient(Builder b) {
        this.b = b;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-resource-client-" + b.module);
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().executor(thread).connectTimeout(b.connectTimeout).build();
        StringBuilder path = new StringBuilder("/v1/dependencies/").append(encode(b.module)).append('?');
        if (b.idc != null) {
            path.append("idc=").append(encode(b.idc)).append('&');
            if (b.set != null) {
                path.append("set=").append(encode(b.set)).append('&');
            }
        }
        this.loop = new WatchLoop(http, thread, b.server, path.toString(), b.wait, b.initialBackoff, b.maxBackoff,
                (body, index) -> answered(body));
    }

    /** A client of the manager at {@code server} ({@code http://host:port}) for the process's {@code module}. */
    public static Builder builder(URI server, String module) {
        return new Builder(server, module);
    }

    /** The module's kv config, fetched now (blocking); throws when the manager cannot answer. */
    public Map<String, String> kv() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(WatchLoop.get(b.server, "/v1/kv/" + encode(b.module),
                b.connectTimeout.plus(WatchLoop.WAIT_MARGIN)), HttpResponse.BodyHandlers.ofString());
        JsonNode body = WatchLoop.body(response);
        Map<String, String> kv = new LinkedHashMap<>();
        body.get("kv").fields().forEachRemaining(entry -> kv.put(entry.getKey(), entry.getValue().asText()));
        return kv;
    }

    /** Starts following the dependencies' live endpoints. */
    public ResourceClient start() {
        loop.start();
        return this;
    }

    /** The last known live endpoints of each dependency, nearest first; empty before the first answer. */
    public Map<String, List<ResourceEndpoint>> dependencies() {
        return dependencies;
    }

    /** The index of the last answer, -1 before the first. */
    public long index() {
        return loop.index();
    }

    /** Requests that failed since the start (the manager down, a bad answer). */
    public long failures() {
        return loop.failures();
    }

    private void answered(JsonNode body) {
        Map<String, List<ResourceEndpoint>> next = new LinkedHashMap<>();
        for (JsonNode dependency : body.get("dependencies")) {
            List<ResourceEndpoint> endpoints = new ArrayList<>();
            for (JsonNode endpoint : dependency.path("endpoints")) {
                endpoints.add(new ResourceEndpoint(endpoint.get("id").asText(), endpoint.get("idc").asText(),
                        endpoint.get("set").asText(), endpoint.get("inner_ip").asText(),
                        endpoint.get("out_ip").asText(), endpoint.get("port").asInt(),
                        endpoint.get("state").asText(), endpoint.get("probed").asBoolean()));
            }
            next.put(dependency.get("module").asText(), List.copyOf(endpoints));
        }
        if (!next.equals(dependencies)) {
            dependencies = Collections.unmodifiableMap(next);
            b.listener.accept(dependencies);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        loop.close();
        thread.shutdownNow();
    }

    /** Builds a {@link ResourceClient}. */
    public static final class Builder {
        private final URI server;
        private final String module;
        private String idc;
        private String set;
        private Duration wait = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Consumer<Map<String, List<ResourceEndpoint>>> listener = dependencies -> { };

        private Builder(URI server, String module) {
            this.server = Objects.requireNonNull(server, "server");
            this.module = Objects.requireNonNull(module, "module");
        }

        URI server() {
            return server;
        }

        String module() {
            return module;
        }

        /** Where the process runs, so endpoints come nearest first. */
        public Builder idc(String idc) {
            this.idc = idc;
            return this;
        }

        public Builder set(String set) {
            this.set = set;
            return this;
        }

        /** How long one watch waits on the manager for a change, whole seconds (the manager caps it). */
        public Builder wait(Duration wait) {
            if (wait.toSeconds() < 1) {
                throw new IllegalArgumentException("a watch waits at least a second, was " + wait);
            }
            this.wait = wait;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The first retry delay after a failure, doubling up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Told (on the client's thread) each time the dependencies' endpoints change. */
        public Builder onChange(Consumer<Map<String, List<ResourceEndpoint>>> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public ResourceClient build() {
            return new ResourceClient(this);
        }
    }
}
