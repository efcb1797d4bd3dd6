package io.switchboard.cluster.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.admin.AdminResponse;
import io.switchboard.admin.AdminServer;
import io.switchboard.registry.Registry;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** The admin routes every cluster process serves: /health, /metrics, /cluster and POST /shutdown. */
public final class ClusterAdmin {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClusterAdmin() {
    }

    public static AdminServer create(String host, int port, Registry registry, MeterRegistry meters,
                                     Supplier<ObjectNode> health, Runnable shutdown) {
        AdminServer admin = new AdminServer(host, port)
                .route(HttpMethod.GET, "/health", request -> AdminResponse.json(health.get().toString()))
                .route(HttpMethod.GET, "/cluster", request ->
                        AdminResponse.json(MAPPER.writeValueAsString(registry.nodes())))
                .route(HttpMethod.POST, "/shutdown", request -> {
                    shutdown.run();
                    return new AdminResponse(HttpResponseStatus.ACCEPTED, "application/json",
                            "{\"status\":\"draining\"}".getBytes(StandardCharsets.UTF_8));
                });
        if (meters instanceof PrometheusMeterRegistry prometheus) {
            admin.route(HttpMethod.GET, "/metrics", request -> new AdminResponse(HttpResponseStatus.OK,
                    "text/plain; version=0.0.4; charset=utf-8",
                    prometheus.scrape().getBytes(StandardCharsets.UTF_8)));
        }
        return admin;
    }
}
