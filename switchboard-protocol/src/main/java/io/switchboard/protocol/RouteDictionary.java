package io.switchboard.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The route dictionary that lets a message carry a 2-byte code instead of its route string (Pomelo's
 * {@code dict}). Codes 1–49 are reserved for framework routes; user routes get codes from 50 on, in
 * sorted order so every process of a cluster derives the same dictionary from the same routes.
 * {@link #version()} is a digest of the contents: a client that presents it in its handshake is not sent
 * the dictionary again.
 */
public final class RouteDictionary {
    /** The highest code reserved for framework routes. */
    public static final int MAX_FRAMEWORK_CODE = 49;
    /** The first code given to user routes. */
    public static final int FIRST_USER_CODE = 50;

    private static final RouteDictionary EMPTY = new RouteDictionary(Collections.emptyMap());

    private final Map<String, Integer> routeToCode;
    private final String[] codeToRoute;
    private final String version;

    private RouteDictionary(Map<String, Integer> routeToCode) {
        this.routeToCode = Collections.unmodifiableMap(new LinkedHashMap<>(routeToCode));
        int max = routeToCode.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        this.codeToRoute = new String[max + 1];
        routeToCode.forEach((route, code) -> codeToRoute[code] = route);
        this.version = digest(routeToCode);
    }

    public static RouteDictionary empty() {
        return EMPTY;
    }

    /**
     * Builds a dictionary from framework routes with fixed codes (1–49) and user routes, which are sorted
     * and numbered from 50.
     */
    public static RouteDictionary of(Map<String, Integer> frameworkRoutes, Collection<String> userRoutes) {
        Map<String, Integer> map = new LinkedHashMap<>();
        new TreeMap<>(frameworkRoutes).forEach((route, code) -> {
            if (code < 1 || code > MAX_FRAMEWORK_CODE) {
                throw new IllegalArgumentException("framework route codes are 1.." + MAX_FRAMEWORK_CODE
                        + ": " + route + "=" + code);
            }
            checkRoute(route);
            if (map.containsValue(code)) {
                throw new IllegalArgumentException("route code " + code + " given twice");
            }
            map.put(route, code);
        });
        int next = FIRST_USER_CODE;
        for (String route : new TreeSet<>(userRoutes)) {
            checkRoute(route);
            if (map.containsKey(route)) {
                continue;
            }
            if (next > MessageFlags.MAX_ROUTE_CODE) {
                throw new IllegalArgumentException("more routes than 2-byte codes");
            }
            map.put(route, next++);
        }
        return new RouteDictionary(map);
    }

    private static void checkRoute(String route) {
        if (route.isEmpty() || route.getBytes(StandardCharsets.UTF_8).length > MessageFlags.MAX_ROUTE_LENGTH) {
            throw new IllegalArgumentException("route must be 1..255 UTF-8 bytes: '" + route + "'");
        }
    }

    /** The code of a route, or 0 when the route is not in the dictionary. */
    public int codeOf(String route) {
        Integer code = routeToCode.get(route);
        return code == null ? 0 : code;
    }

    /** The route of a code, or {@code null} when no route has it. */
    public String routeOf(int code) {
        return code > 0 && code < codeToRoute.length ? codeToRoute[code] : null;
    }

    /** Route → code, in code order. */
    public Map<String, Integer> routeToCode() {
        return routeToCode;
    }

    /** Code (as a string, as JSON keys are) → route, for Pomelo's {@code codeToRoute}. */
    public Map<String, String> codeToRoute() {
        Map<String, String> map = new LinkedHashMap<>();
        routeToCode.forEach((route, code) -> map.put(String.valueOf(code), route));
        return map;
    }

    public boolean isEmpty() {
        return routeToCode.isEmpty();
    }

    /** A digest of the contents: equal dictionaries have equal versions. */
    public String version() {
        return version;
    }

    private static String digest(Map<String, Integer> map) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(new HashMap<>(map)).forEach((route, code) ->
                    sha.update((route + '=' + code + '\n').getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "RouteDictionary(" + routeToCode.size() + " routes, version " + version + ")";
    }
}
