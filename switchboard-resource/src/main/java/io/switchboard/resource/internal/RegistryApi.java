package io.switchboard.resource.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.spi.NodeInfoJson;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The registry part of {@code /v1} (DESIGN §8, the {@code resource://} registry): {@code GET /v1/registry} lists the
 * registered processes whose endpoint is live, watchable like every view; {@code PUT /v1/registry/{id}?session=S}
 * with a {@link NodeInfo} as JSON registers a process (or, with {@code &update=true}, changes its record), and
 * {@code DELETE /v1/registry/{id}?session=S} removes it. Refusals carry the registry error code's name in
 * {@code code}: 404 {@code NOT_IN_TOPOLOGY} for a process no endpoint stands for, 409 for the others.
 */
final class RegistryApi {
    static final String SESSION = "session";
    static final String UPDATE = "update";

    private final Registrations registrations;

    RegistryApi(Registrations registrations) {
        this.registrations = registrations;
    }

    /** {@code GET /v1/registry}. */
    ApiQuery list() {
        return ApiQuery.of(registrations::index, () -> {
            ObjectNode body = ApiViews.JSON.createObjectNode().put("instance", registrations.instance());
            ArrayNode nodes = body.putArray("nodes");
            registrations.live().forEach(node -> nodes.add(ApiViews.JSON.valueToTree(node)));
            return ApiAnswer.ok(body);
        });
    }

    long index() {
        return registrations.index();
    }

    /** A {@code PUT} or {@code DELETE} of {@code path}, which the guard let through. */
    ApiAnswer write(HttpMethod method, String path, Map<String, List<String>> params, ByteBuf content)
            throws ApiRefusal {
        String id = path.substring(ApiGuard.REGISTRY_PREFIX.length());
        String session = WatchParams.first(params, SESSION);
        if (id.isEmpty() || id.contains("/")) {
            throw new ApiRefusal(HttpResponseStatus.NOT_FOUND, "no such path: " + path);
        }
        if (session == null) {
            throw new ApiRefusal(HttpResponseStatus.BAD_REQUEST, "a registry write names its session: ?session=");
        }
        if (HttpMethod.DELETE.equals(method)) {
            return ApiAnswer.ok(ApiViews.JSON.createObjectNode().put("removed",
                    registrations.deregister(id, session)));
        }
        NodeInfo info;
        try {
            info = NodeInfoJson.decode(ByteBufUtil.getBytes(content));
        } catch (IOException | IllegalArgumentException e) {
            throw new ApiRefusal(HttpResponseStatus.BAD_REQUEST, "the body is not a node record: " + e.getMessage());
        }
        if (!info.id().equals(id)) {
            throw new ApiRefusal(HttpResponseStatus.BAD_REQUEST, "the record's id " + info.id()
                    + " is not the path's " + id);
        }
        try {
            NodeInfo numbered = "true".equals(WatchParams.first(params, UPDATE))
                    ? registrations.update(info, session) : registrations.register(info, session);
            ObjectNode body = ApiViews.JSON.createObjectNode().put("node_id", numbered.nodeId());
            body.set("node", ApiViews.JSON.valueToTree(numbered));
            return ApiAnswer.ok(body);
        } catch (Registrations.Refused refused) {
            HttpResponseStatus status = refused.code().equals(RegistryErrors.NOT_IN_TOPOLOGY)
                    ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.CONFLICT;
            ObjectNode body = ApiViews.error(refused.getMessage()).put("code", refused.code().name());
            return new ApiAnswer(status, body);
        }
    }
}
