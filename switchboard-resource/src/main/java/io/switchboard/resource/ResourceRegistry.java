package io.switchboard.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registration;
import io.switchboard.registry.spi.NodeInfoJson;
import io.switchboard.registry.spi.RegistrationBase;
import io.switchboard.registry.spi.TableRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link Registry} of a cluster on the resource manager's static topology ({@code resource://host:port}, DESIGN
 * §8): no ZooKeeper, the idc files say which processes may exist.
 *
 * <ul>
 *   <li>A process registers by {@code PUT /v1/registry/{id}}; the manager matches it to an endpoint of its module (its
 *       {@link NodeInfo#type()}; gates are {@code gate}): the endpoint whose {@code id} is the process id, or else the
 *       one whose host and port an address it advertises names. None: the registration fails with
 *       {@link RegistryErrors#NOT_IN_TOPOLOGY}, naming the module and what was looked for.</li>
 *   <li>Its node id is the endpoint's position among all endpoints of the config (module.conf's order, then each idc
 *       file's), the same on every start of the same config.</li>
 *   <li>It is listed while its endpoint is live: probed up, or in a {@code service_list}. An endpoint probed down is
 *       {@link io.switchboard.registry.RegistryEvent.Type#REMOVED REMOVED} for watchers, ADDED again when it is
 *       up.</li>
 *   <li>Its record (addresses, state, load, metadata) is held in the manager's memory and reaches the other processes
 *       through {@code GET /v1/registry}, which this registry follows with the blocking watch on one thread. A
 *       manager that restarted (a new {@code instance} in its answer) has forgotten the records: they are published
 *       again.</li>
 *   <li>Writes carry {@code Authorization: Bearer} with the admin token ({@code SWITCHBOARD_ADMIN_TOKEN}) when one is
 *       set; a manager with no token takes writes only on a loopback port.</li>
 * </ul>
 *
 * <p>While the manager is unreachable the last known list stays and updates fail with
 * {@link RegistryErrors#REGISTRY_UNAVAILABLE}; node ids come from the config, so no other process can take one
 * meanwhile and registrations are never reported lost.
 */
public final class ResourceRegistry extends TableRegistry {
    private static final Logger log = LoggerFactory.getLogger(ResourceRegistry.class);
    private static final String REGISTRY_PATH = "/v1/registry";
    private static final Map<String, ErrorCode> CODES = Map.of(
            RegistryErrors.NOT_IN_TOPOLOGY.name(), RegistryErrors.NOT_IN_TOPOLOGY,
            RegistryErrors.NODE_IDS_EXHAUSTED.name(), RegistryErrors.NODE_IDS_EXHAUSTED,
            RegistryErrors.DUPLICATE_NODE.name(), RegistryErrors.DUPLICATE_NODE,
            RegistryErrors.NOT_REGISTERED.name(), RegistryErrors.NOT_REGISTERED);

    private final Builder b;
    private final ScheduledExecutorService thread;
    private final HttpClient http;
    private final Map<String, ResourceRegistration> registrations = new ConcurrentHashMap<>();
    private final WatchLoop loop;
    /** The manager's instance in the last answer: a new one means it restarted and forgot the records. */
    private String instance;
    private volatile boolean closed;

    private ResourceRegistry(Builder b) {
        super("switchboard-resource-registry-events");
        this.b = b;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-resource-registry");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().executor(thread).connectTimeout(b.connectTimeout).build();
        this.loop = new WatchLoop(http, thread, b.server, REGISTRY_PATH + "?", b.wait, b.initialBackoff,
                b.maxBackoff, (body, index) -> answered(body));
    }

    /** A registry on the manager at {@code server} ({@code http://host:port}). */
    public static Builder builder(URI server) {
        return new Builder(server);
    }

    /** Reads the list once, failing when the manager cannot be reached, then follows it. */
    private ResourceRegistry open() {
        try {
            HttpResponse<String> response = http.send(WatchLoop.get(b.server, REGISTRY_PATH,
                    b.connectTimeout.plus(WatchLoop.WAIT_MARGIN)), HttpResponse.BodyHandlers.ofString());
            JsonNode body = WatchLoop.body(response);
            thread.submit(() -> {
                answered(body);
                return null;
            }).get();
        } catch (Exception e) {
            close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE, "the resource manager at "
                    + b.server + " cannot be reached: " + e, e);
        }
        loop.start();
        return this;
    }

    /** On the registry's thread: the list as the manager has it now. */
    private void answered(JsonNode body) throws JsonProcessingException {
        String seen = body.path("instance").asText();
        if (instance != null && !instance.equals(seen)) {
            log.info("resource manager {} restarted: publishing {} registration(s) again", b.server,
                    registrations.size());
            registrations.values().forEach(ResourceRegistration::republish);
        }
        instance = seen;
        Set<String> listed = new HashSet<>();
        for (JsonNode node : body.path("nodes")) {
            NodeInfo info = WatchLoop.JSON.treeToValue(node, NodeInfo.class);
            listed.add(info.id());
            table.put(info);
        }
        for (NodeInfo known : table.nodes()) {
            if (!listed.contains(known.id())) {
                table.remove(known.id());
            }
        }
    }

    @Override
    public CompletableFuture<Registration> register(NodeInfo info) {
        Objects.requireNonNull(info, "info");
        if (closed) {
            return failed(RegistryErrors.REGISTRY_CLOSED, "the registry is closed; cannot register " + info.id());
        }
        ResourceRegistration registration = new ResourceRegistration(info);
        if (registrations.putIfAbsent(info.id(), registration) != null) {
            return failed(RegistryErrors.DUPLICATE_NODE, info.id() + " is already registered through this registry");
        }
        return registration.send(false).handle((numbered, error) -> {
            if (error != null) {
                registrations.remove(info.id(), registration);
                throw error instanceof CompletionException c ? c : new CompletionException(error);
            }
            return registration;
        });
    }

    /** The index of the last list the manager sent, -1 before the watch's first answer. */
    public long index() {
        return loop.index();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> leaving = new ArrayList<>();
        for (ResourceRegistration registration : new ArrayList<>(registrations.values())) {
            leaving.add(registration.deregister());
        }
        try {
            CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new))
                    .get(b.connectTimeout.plus(WatchLoop.WAIT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("leaving the resource manager {} did not finish: {}", b.server, e.toString());
        }
        loop.close();
        table.close();
        events.shutdown();
        thread.shutdownNow();
    }

    /** {@code PUT} or {@code DELETE} of one record; fails with the registry error the manager names. */
    private CompletableFuture<JsonNode> write(String method, String id, String query, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(b.server.resolve(REGISTRY_PATH + "/"
                        + ResourceClient.encode(id) + "?" + query))
                .timeout(b.connectTimeout.plus(WatchLoop.WAIT_MARGIN))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (b.token != null) {
            request.header("Authorization", "Bearer " + b.token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE, "the resource manager at "
                        + b.server + " cannot be reached: " + error.getMessage(), error);
            }
            JsonNode answer;
            try {
                answer = WatchLoop.JSON.readTree(response.body());
            } catch (IOException e) {
                throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE, "the resource manager at "
                        + b.server + " answered " + response.statusCode() + " without JSON", e);
            }
            if (response.statusCode() != 200) {
                ErrorCode code = CODES.getOrDefault(answer.path("code").asText(),
                        RegistryErrors.REGISTRY_UNAVAILABLE);
                throw new SwitchboardException(code, "resource manager " + b.server + " refused " + method + " of "
                        + id + " (" + response.statusCode() + "): " + answer.path("error").asText());
            }
            return answer;
        });
    }

    private static <T> CompletableFuture<T> failed(ErrorCode code, String message) {
        return CompletableFuture.failedFuture(new SwitchboardException(code, message));
    }

    /**
     * One process's record on the manager, under a session of its own; writes go out one at a time, in order. Its
     * lock is its own monitor, which {@link #send} and {@link #then} hold too: a write is queued in the order of the
     * updates, and none after the removal.
     */
    private final class ResourceRegistration extends RegistrationBase {
        private final String session = UUID.randomUUID().toString();
        private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

        ResourceRegistration(NodeInfo info) {
            super(info);
        }

        /** Sends the record as it is now: a registration, or an update of this session's. */
        synchronized CompletableFuture<NodeInfo> send(boolean update) {
            NodeInfo record = info();
            String query = "session=" + session + (update ? "&update=true" : "");
            return then(() -> write("PUT", record.id(), query, NodeInfoJson.encode(record)).thenApply(answer -> {
                NodeInfo numbered = record.withNodeId(answer.path("node_id").asInt());
                changeInfo(current -> current.nodeId() == NodeInfo.UNASSIGNED
                        ? current.withNodeId(numbered.nodeId()) : current);
                return numbered;
            }));
        }

        /** The manager restarted: register again, with the record as it is now. */
        void republish() {
            if (isRegistered()) {
                send(false).exceptionally(error -> {
                    log.warn("publishing {} again to the resource manager {} failed: {}", info().id(), b.server,
                            error.getMessage());
                    return null;
                });
            }
        }

        private synchronized <T> CompletableFuture<T> then(Supplier<CompletableFuture<T>> next) {
            CompletableFuture<T> done = last.handle((result, error) -> null).thenCompose(ignored -> next.get());
            last = done;
            return done;
        }

        @Override
        protected CompletableFuture<NodeInfo> publish(NodeInfo info) {
            return send(true);
        }

        @Override
        protected CompletableFuture<Void> remove() {
            String id = info().id();
            registrations.remove(id, this);
            // A manager that cannot be reached keeps the record until it restarts or the process registers again.
            return then(() -> write("DELETE", id, "session=" + session, null)).handle((answer, error) -> {
                if (error != null) {
                    log.warn("leaving the resource manager {} as {} failed: {}", b.server, id, error.getMessage());
                }
                return null;
            });
        }

        @Override
        protected boolean registryClosed() {
            return closed;
        }
    }

    /** Builds a {@link ResourceRegistry}. */
    public static final class Builder {
        private final URI server;
        private String token;
        private Duration wait = Duration.ofSeconds(30);
        // As the ResourceClient's defaults: retries from 200 ms, doubling up to 10 s.
        private final Duration connectTimeout = Duration.ofSeconds(5);
        private final Duration initialBackoff = Duration.ofMillis(200);
        private final Duration maxBackoff = Duration.ofSeconds(10);

        private Builder(URI server) {
            this.server = Objects.requireNonNull(server, "server");
        }

        /** The bearer token of writes: the manager's admin token. */
        public Builder token(String token) {
            this.token = token == null || token.isEmpty() ? null : token;
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

        /**
         * Connects: reads the list once, then follows it.
         *
         * @throws SwitchboardException with {@link RegistryErrors#REGISTRY_UNAVAILABLE} when the manager cannot be
         *         reached
         */
        public ResourceRegistry open() {
            return new ResourceRegistry(this).open();
        }
    }
}
