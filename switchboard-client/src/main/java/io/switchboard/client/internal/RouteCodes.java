package io.switchboard.client.internal;

import io.switchboard.protocol.RouteDictionary;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The route dictionary a server handed out in its handshake. A Switchboard server numbers its routes the way
 * {@link RouteDictionary#of} does, and so does any dictionary of at most 49 routes; then {@link #dictionary()}
 * is that exact dictionary and the protocol's codecs use it both ways. Other servers (Pomelo and Pitaya with
 * larger dictionaries) may number routes freely: then requests go out with route strings, which every server
 * accepts, and {@link RouteCodeExpander} turns compressed routes from the server back into strings.
 */
public final class RouteCodes {
    private final Map<String, Integer> routeToCode;
    private final Map<Integer, String> codeToRoute;
    private final RouteDictionary dictionary;

    private RouteCodes(Map<String, Integer> routeToCode) {
        this.routeToCode = Collections.unmodifiableMap(new LinkedHashMap<>(routeToCode));
        Map<Integer, String> inverse = new HashMap<>();
        routeToCode.forEach((route, code) -> inverse.put(code, route));
        this.codeToRoute = inverse;
        this.dictionary = sameAsRouteDictionary(routeToCode);
    }

    public static RouteCodes of(Map<String, Integer> routeToCode) {
        return new RouteCodes(routeToCode);
    }

    private static RouteDictionary sameAsRouteDictionary(Map<String, Integer> routeToCode) {
        if (routeToCode.isEmpty()) {
            return null;
        }
        Map<String, Integer> framework = new HashMap<>();
        Map<String, Integer> user = new HashMap<>();
        routeToCode.forEach((route, code) ->
                (code <= RouteDictionary.MAX_FRAMEWORK_CODE ? framework : user).put(route, code));
        try {
            RouteDictionary dictionary = RouteDictionary.of(framework, user.keySet());
            return dictionary.routeToCode().equals(routeToCode) ? dictionary : null;
        } catch (IllegalArgumentException e) {
            // Duplicate codes or odd routes: not a dictionary RouteDictionary can stand for.
            return null;
        }
    }

    /** The protocol's dictionary with exactly these codes, or {@code null} when it cannot express them. */
    public RouteDictionary dictionary() {
        return dictionary;
    }

    /** The route of a code, or {@code null}. */
    public String routeOf(int code) {
        return codeToRoute.get(code);
    }

    public Map<String, Integer> routeToCode() {
        return routeToCode;
    }

    public boolean isEmpty() {
        return routeToCode.isEmpty();
    }
}
