package io.switchboard.resource.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.resource.config.ModuleConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Maps a {@code /v1} path and its parameters to the {@link ApiQuery} that answers it (DESIGN §8): {@code /v1/modules},
 * {@code /v1/kv/{module}}, {@code /v1/endpoints/{module}?idc=&set=}, {@code /v1/dependencies/{module}?idc=&set=},
 * {@code /v1/topology}, {@code /v1/status}, {@code /v1/registry} (and its writes, {@link RegistryApi}). An unknown module is refused with 404 now; one that goes away while a
 * watch waits on it is answered 404 then.
 */
final class ApiRouter {
    private static final String PREFIX = "/v1/";

    private final Catalog catalog;
    private final Registrations registrations;
    private final RegistryApi registry;

    ApiRouter(Catalog catalog, Registrations registrations) {
        this.catalog = catalog;
        this.registrations = registrations;
        this.registry = new RegistryApi(registrations);
    }

    /** A registry write the guard let through; answered with the registry's index. */
    ApiQuery write(HttpMethod method, String path, Map<String, List<String>> params, ByteBuf content)
            throws ApiRefusal {
        ApiAnswer answer = registry.write(method, path, params, content);
        return ApiQuery.of(registry::index, () -> answer);
    }

    ApiQuery route(String path, Map<String, List<String>> params) throws ApiRefusal {
        if (!path.startsWith(PREFIX)) {
            throw notFound(path);
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        if (parts.length == 1) {
            return switch (parts[0]) {
                case "modules" -> ApiQuery.of(catalog::index, () -> ApiAnswer.ok(ApiViews.modules(catalog)));
                // Moves with the config, the probes and the registrations: both indexes only grow, so their sum does.
                case "topology" -> ApiQuery.of(() -> catalog.index() + registrations.index(),
                        () -> ApiAnswer.ok(ApiViews.topology(catalog, registrations)));
                case "status" -> ApiQuery.of(catalog::index, () -> ApiAnswer.ok(ApiViews.status(catalog)));
                case "registry" -> registry.list();
                default -> throw notFound(path);
            };
        }
        if (parts.length != 2 || parts[1].isEmpty()) {
            throw notFound(path);
        }
        String name = parts[1];
        if (catalog.config().module(name).isEmpty()) {
            throw new ApiRefusal(HttpResponseStatus.NOT_FOUND, "unknown module: " + name);
        }
        String idc = WatchParams.first(params, "idc");
        String set = WatchParams.first(params, "set");
        if (set != null && idc == null) {
            throw new ApiRefusal(HttpResponseStatus.BAD_REQUEST, "set is named within an idc: give idc too");
        }
        return switch (parts[0]) {
            case "kv" -> moduleQuery(name, () -> catalog.moduleIndex(name), ApiViews::kv);
            case "endpoints" -> moduleQuery(name, () -> catalog.moduleIndex(name),
                    module -> ApiViews.endpoints(catalog, module, idc, set));
            case "dependencies" -> moduleQuery(name, () -> catalog.dependenciesIndex(name),
                    module -> ApiViews.dependencies(catalog, module, idc, set));
            default -> throw notFound(path);
        };
    }

    private ApiQuery moduleQuery(String name, java.util.function.LongSupplier index,
                                 Function<ModuleConfig, com.fasterxml.jackson.databind.node.ObjectNode> view) {
        return ApiQuery.of(index, () -> {
            Optional<ModuleConfig> module = catalog.config().module(name);
            return module.isPresent() ? ApiAnswer.ok(view.apply(module.get()))
                    : ApiAnswer.error(HttpResponseStatus.NOT_FOUND, "unknown module: " + name);
        });
    }

    private static ApiRefusal notFound(String path) {
        return new ApiRefusal(HttpResponseStatus.NOT_FOUND, "no such path: " + path);
    }
}
