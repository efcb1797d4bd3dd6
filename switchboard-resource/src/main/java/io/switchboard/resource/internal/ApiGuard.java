package io.switchboard.resource.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.switchboard.admin.AdminGuard;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use the {@code /v1} port (DESIGN §10, as admin HTTP): it only reads, so anything but {@code GET} is refused;
 * a {@code Host} or {@code Origin} naming a host other than loopback, the bind address or a host the operator allowed
 * is refused, so a web page cannot reach the port through a browser (cross-site requests, DNS rebinding).
 */
public final class ApiGuard {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Set<String> hosts;

    /**
     * @param bindHost     the address the port listens on
     * @param allowedHosts further names clients use for it ({@code resource.example}, the machine's address)
     */
    public ApiGuard(String bindHost, Collection<String> allowedHosts) {
        Set<String> all = new HashSet<>(LOOPBACK_NAMES);
        all.add(bindHost.toLowerCase(Locale.ROOT));
        allowedHosts.forEach(host -> all.add(host.toLowerCase(Locale.ROOT)));
        this.hosts = Set.copyOf(all);
    }

    /** {@code null} when {@code request} may go on, else the refusal. */
    ApiRefusal check(HttpRequest request) {
        if (!HttpMethod.GET.equals(request.method())) {
            return new ApiRefusal(HttpResponseStatus.METHOD_NOT_ALLOWED, "the /v1 API only reads: use GET");
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null && !hosts.contains(AdminGuard.hostPart(host))) {
            return new ApiRefusal(HttpResponseStatus.FORBIDDEN, "this port answers its own host names only");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !hosts.contains(AdminGuard.originHost(origin))) {
            return new ApiRefusal(HttpResponseStatus.FORBIDDEN, "cross-origin requests are refused");
        }
        return null;
    }
}
