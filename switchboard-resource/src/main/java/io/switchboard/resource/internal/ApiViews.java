package io.switchboard.resource.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.resource.config.ConfigProblem;
import io.switchboard.resource.config.Endpoint;
import io.switchboard.resource.config.ModuleConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of {@code /v1} (DESIGN §8), built from the {@link Catalog}. Field names follow the seed's conf files
 * ({@code inner_ip}, {@code out_ip}), so what an operator wrote is what a client reads.
 */
final class ApiViews {
    static final ObjectMapper JSON = new ObjectMapper();

    private ApiViews() {
    }

    /** {@code GET /v1/modules}: each module, what it depends on, how many endpoints it has and how many are live. */
    static ObjectNode modules(Catalog catalog) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode modules = body.putArray("modules");
        for (ModuleConfig module : catalog.config().modules()) {
            ObjectNode entry = modules.addObject().put("module", module.name());
            module.dependencies().forEach(entry.putArray("dependencies")::add);
            entry.put("endpoints", module.endpoints().size());
            entry.put("live", module.endpoints().stream().filter(catalog::live).count());
        }
        return body;
    }

    /** {@code GET /v1/kv/{module}}: its key/value config, in file order. */
    static ObjectNode kv(ModuleConfig module) {
        ObjectNode body = JSON.createObjectNode().put("module", module.name());
        ObjectNode kv = body.putObject("kv");
        module.kv().forEach(kv::put);
        return body;
    }

    /** {@code GET /v1/endpoints/{module}}: its live endpoints, nearest first. */
    static ObjectNode endpoints(Catalog catalog, ModuleConfig module, String idc, String set) {
        ObjectNode body = JSON.createObjectNode().put("module", module.name());
        live(catalog, module, idc, set, body.putArray("endpoints"));
        return body;
    }

    /** {@code GET /v1/dependencies/{module}}: each dependency's live endpoints, nearest first. */
    static ObjectNode dependencies(Catalog catalog, ModuleConfig module, String idc, String set) {
        ObjectNode body = JSON.createObjectNode().put("module", module.name());
        ArrayNode dependencies = body.putArray("dependencies");
        for (String name : module.dependencies()) {
            ObjectNode entry = dependencies.addObject().put("module", name);
            catalog.config().module(name).ifPresent(dependency ->
                    live(catalog, dependency, idc, set, entry.putArray("endpoints")));
        }
        return body;
    }

    /**
     * {@code GET /v1/topology}: every module, IDC → set → endpoints, each with its state and the process registered on
     * it through {@code resource://} ({@code process}: id, node id, state; null when none is).
     */
    static ObjectNode topology(Catalog catalog, Registrations registrations) {
        ObjectNode body = JSON.createObjectNode().put("generation", catalog.generation());
        ArrayNode modules = body.putArray("modules");
        for (ModuleConfig module : catalog.config().modules()) {
            Map<String, Map<String, ArrayNode>> idcs = new LinkedHashMap<>();
            for (Endpoint endpoint : module.endpoints()) {
                ArrayNode endpoints = idcs.computeIfAbsent(endpoint.idc(), idc -> new LinkedHashMap<>())
                        .computeIfAbsent(endpoint.set(), set -> JSON.createArrayNode());
                ObjectNode entry = endpoint(catalog, endpoint);
                registrations.on(endpoint).ifPresentOrElse(process -> entry.putObject("process")
                        .put("id", process.id()).put("node_id", process.nodeId())
                        .put("state", process.state().name().toLowerCase(java.util.Locale.ROOT)),
                        () -> entry.putNull("process"));
                endpoints.add(entry);
            }
            ArrayNode idcList = modules.addObject().put("module", module.name()).putArray("idcs");
            idcs.forEach((idc, sets) -> {
                ArrayNode setList = idcList.addObject().put("idc", idc).putArray("sets");
                sets.forEach((set, endpoints) -> setList.addObject().put("set", set).set("endpoints", endpoints));
            });
        }
        return body;
    }

    /** {@code GET /v1/status}: the generation in force, the change index, and the problems of the last reload. */
    static ObjectNode status(Catalog catalog) {
        ObjectNode body = JSON.createObjectNode()
                .put("generation", catalog.generation())
                .put("index", catalog.index())
                .put("modules", catalog.config().modules().size())
                .put("endpoints", catalog.config().endpoints().size());
        if (catalog.lastErrors().isEmpty()) {
            body.putNull("last_reload_error");
        } else {
            problems(catalog.lastErrors(), body.putArray("last_reload_error"));
        }
        problems(catalog.warnings(), body.putArray("warnings"));
        return body;
    }

    /** {@code {"error": message}}, the body of every refusal. */
    static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void live(Catalog catalog, ModuleConfig module, String idc, String set, ArrayNode into) {
        List<Endpoint> live = module.endpoints().stream().filter(catalog::live).toList();
        NearestFirst.sort(live, idc, set).forEach(endpoint -> into.add(endpoint(catalog, endpoint)));
    }

    private static ObjectNode endpoint(Catalog catalog, Endpoint endpoint) {
        return JSON.createObjectNode()
                .put("id", endpoint.id())
                .put("idc", endpoint.idc())
                .put("set", endpoint.set())
                .put("inner_ip", endpoint.innerIp())
                .put("out_ip", endpoint.outIp())
                .put("port", endpoint.port())
                .put("state", catalog.state(endpoint).label())
                .put("probed", endpoint.probed());
    }

    private static void problems(List<ConfigProblem> problems, ArrayNode into) {
        for (ConfigProblem problem : problems) {
            into.addObject().put("file", problem.file()).put("line", problem.line()).put("column", problem.column())
                    .put("severity", problem.severity().name().toLowerCase(java.util.Locale.ROOT))
                    .put("message", problem.message());
        }
    }
}
