package io.switchboard.resource.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.switchboard.admin.AdminGuard;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use the {@code /v1} port (DESIGN §10, as admin HTTP). It reads with {@code GET}; the only writes are
 * {@code PUT} and {@code DELETE} of {@code /v1/registry/{id}}, what {@code resource://} registry clients publish about
 * their process. A write needs {@code Authorization: Bearer <token>} when the manager has a token (its admin token,
 * {@code SWITCHBOARD_ADMIN_TOKEN}); with none, writes are taken only while the port listens on loopback, where only
 * processes of the machine reach it, and refused otherwise. A {@code Host} or {@code Origin} naming a host other than
 * loopback, the bind address or a host the operator allowed is refused, so a web page cannot reach the port through a
 * browser (cross-site requests, DNS rebinding).
 */
public final class ApiGuard {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    /** The writable paths: one process's registry record. */
    static final String REGISTRY_PREFIX = "/v1/registry/";

    private final Set<String> hosts;
    private final byte[] token;
    private final boolean loopbackOnly;

    /**
     * @param bindHost     the address the port listens on
     * @param allowedHosts further names clients use for it ({@code resource.example}, the machine's address)
     * @param token        the bearer token of registry writes; {@code null} or empty: writes only on a loopback port
     */
    public ApiGuard(String bindHost, Collection<String> allowedHosts, String token) {
        Set<String> all = new HashSet<>(LOOPBACK_NAMES);
        all.add(bindHost.toLowerCase(Locale.ROOT));
        allowedHosts.forEach(host -> all.add(host.toLowerCase(Locale.ROOT)));
        this.hosts = Set.copyOf(all);
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopbackOnly = isLoopback(bindHost);
    }

    /** {@code null} when {@code request} may go on, else the refusal. */
    ApiRefusal check(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null && !hosts.contains(AdminGuard.hostPart(host))) {
            return new ApiRefusal(HttpResponseStatus.FORBIDDEN, "this port answers its own host names only");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !hosts.contains(AdminGuard.originHost(origin))) {
            return new ApiRefusal(HttpResponseStatus.FORBIDDEN, "cross-origin requests are refused");
        }
        if (HttpMethod.GET.equals(request.method())) {
            return null;
        }
        boolean registryWrite = (HttpMethod.PUT.equals(request.method()) || HttpMethod.DELETE.equals(request.method()))
                && request.uri().startsWith(REGISTRY_PREFIX);
        if (!registryWrite) {
            return new ApiRefusal(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "the /v1 API only reads (GET), but for PUT and DELETE of /v1/registry/{id}");
        }
        if (token == null) {
            return loopbackOnly ? null : new ApiRefusal(HttpResponseStatus.FORBIDDEN, "registry writes on a port "
                    + "beyond loopback need a token: start the manager with SWITCHBOARD_ADMIN_TOKEN set");
        }
        if (!AdminGuard.bearerMatches(token, request)) {
            return new ApiRefusal(HttpResponseStatus.UNAUTHORIZED, "registry writes need the bearer token");
        }
        return null;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
