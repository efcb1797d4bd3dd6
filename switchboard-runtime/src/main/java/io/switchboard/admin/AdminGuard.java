package io.switchboard.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use admin HTTP (DESIGN §10). Reads ({@code GET}, {@code HEAD}) are open to whoever reaches the port, which
 * is loopback by default; every other method changes state and needs {@code Authorization: Bearer <token>}, and with
 * no token configured such calls are off, not open. A request whose {@code Host} or {@code Origin} names another
 * host is refused, so a web page cannot reach the port through the browser (cross-site requests, DNS rebinding).
 */
public final class AdminGuard {
    private static final String BEARER = "Bearer ";
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final byte[] token;
    private final Set<String> hosts;

    /**
     * @param token    the bearer token of state-changing calls; {@code null} or empty turns them off
     * @param bindHost the host admin HTTP listens on, accepted in {@code Host} besides the loopback names
     */
    public AdminGuard(String token, String bindHost) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.hosts = bindHost == null ? LOOPBACK_NAMES
                : union(LOOPBACK_NAMES, bindHost.toLowerCase(Locale.ROOT));
    }

    /** Whether state-changing calls are on (a token is configured). */
    public boolean writesEnabled() {
        return token != null;
    }

    /** {@code null} when {@code request} may go on; otherwise the refusal to send instead. */
    public AdminResponse check(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null && !hosts.contains(hostPart(host))) {
            return AdminResponse.text(HttpResponseStatus.FORBIDDEN, "admin HTTP answers its own host names only\n");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !hosts.contains(originHost(origin))) {
            return AdminResponse.text(HttpResponseStatus.FORBIDDEN, "cross-origin admin requests are refused\n");
        }
        if (isRead(request.method())) {
            return null;
        }
        if (token == null) {
            return AdminResponse.text(HttpResponseStatus.FORBIDDEN,
                    "admin writes are off: start the process with SWITCHBOARD_ADMIN_TOKEN set\n");
        }
        if (!bearerMatches(token, request)) {
            return AdminResponse.text(HttpResponseStatus.UNAUTHORIZED, "a bearer token is required\n");
        }
        return null;
    }

    /**
     * Whether {@code request} carries {@code Authorization: Bearer <token>} with this {@code token} (compared in
     * constant time). Shared with other guarded HTTP ports.
     */
    public static boolean bearerMatches(byte[] token, HttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        byte[] given = authorization != null && authorization.startsWith(BEARER)
                ? authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8) : null;
        return given != null && MessageDigest.isEqual(token, given);
    }

    private static boolean isRead(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
    }

    /** {@code host[:port]} or {@code [v6]:port} → the host, lower case. Shared with other guarded HTTP ports. */
    public static String hostPart(String hostHeader) {
        String value = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int colon = value.lastIndexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** The host of an {@code Origin} header, lower case; empty when it has none or does not parse. */
    public static String originHost(String origin) {
        try {
            String host = URI.create(origin.trim()).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Set<String> union(Set<String> names, String extra) {
        java.util.Set<String> all = new java.util.HashSet<>(names);
        all.add(extra);
        return Set.copyOf(all);
    }
}
