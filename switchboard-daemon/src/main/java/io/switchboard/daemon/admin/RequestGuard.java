package io.switchboard.daemon.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.switchboard.admin.AdminGuard;

import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a request comes from and what it proves (DESIGN §10). {@code Host} must name this port (its address,
 * loopback, or a configured name), against DNS rebinding; an {@code Origin}, when sent, must be this very origin;
 * a browser's state-changing call (authenticated by the cookie) must send its {@code Origin}, so a cross-site form
 * or script cannot act with the operator's cookie even where {@code SameSite} is not honoured. The token comes as
 * {@code Authorization: Bearer} (the CLI) or the HttpOnly cookie (the console).
 */
final class RequestGuard {
    static final String COOKIE = "switchboard_admin";
    private static final String BEARER = "Bearer ";
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Set<String> hosts;

    /** A token and whether it came in the cookie. */
    record Credential(String token, boolean fromCookie) {
    }

    RequestGuard(String bindHost, Iterable<String> allowedHosts) {
        Set<String> all = new HashSet<>(LOOPBACK_NAMES);
        all.add(bindHost.toLowerCase(Locale.ROOT));
        allowedHosts.forEach(host -> all.add(host.toLowerCase(Locale.ROOT)));
        this.hosts = Set.copyOf(all);
    }

    /** Why the request's {@code Host} and {@code Origin} are refused; {@code null} when they are fine. */
    String checkOrigin(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || !hosts.contains(AdminGuard.hostPart(host))) {
            return "this port answers its own host names only";
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !sameOrigin(origin, host)) {
            return "cross-origin requests are refused";
        }
        return null;
    }

    /** Why a state-changing call with this credential is refused; {@code null} when it may go on. */
    String checkWrite(HttpRequest request, Credential credential) {
        if (credential.fromCookie() && request.headers().get(HttpHeaderNames.ORIGIN) == null) {
            return "a browser's state-changing request must carry its Origin";
        }
        return null;
    }

    /** The token of the request, from the bearer header first, then the cookie; {@code null} for none. */
    static Credential credential(HttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.startsWith(BEARER)) {
            return new Credential(authorization.substring(BEARER.length()).trim(), false);
        }
        String cookies = request.headers().get(HttpHeaderNames.COOKIE);
        if (cookies != null && cookies.length() <= 4_096) {
            for (Cookie cookie : ServerCookieDecoder.STRICT.decode(cookies)) {
                if (COOKIE.equals(cookie.name())) {
                    return new Credential(cookie.value(), true);
                }
            }
        }
        return null;
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin.trim());
            if (uri.getHost() == null || !"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                return false;
            }
            String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
            return authority.equals(host.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
