package io.switchboard.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a registry is, as written in configuration: {@code memory}, or
 * {@code zk://127.0.0.1:2181,127.0.0.1:2182/switchboard?sessionTimeoutMs=15000}.
 *
 * @param scheme     lower case, e.g. {@code memory} or {@code zk}
 * @param authority  what follows {@code //} up to the path, as written (may list several {@code host:port}); empty
 *                   when absent
 * @param path       the path, e.g. {@code /switchboard}; empty when absent
 * @param parameters the query parameters, decoded
 */
public record RegistryUri(String scheme, String authority, String path, Map<String, String> parameters) {

    public RegistryUri {
        Objects.requireNonNull(scheme, "scheme");
        authority = authority == null ? "" : authority;
        path = path == null ? "" : path;
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses a registry URI. A bare word such as {@code memory} is a scheme alone.
     *
     * @throws IllegalArgumentException when the text is not a URI
     */
    public static RegistryUri parse(String text) {
        String trimmed = Objects.requireNonNull(text, "text").trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty registry URI");
        }
        int colon = trimmed.indexOf(':');
        if (colon < 0 || trimmed.endsWith(":") || trimmed.endsWith("://")) {
            String scheme = colon < 0 ? trimmed : trimmed.substring(0, colon);
            if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
                throw new IllegalArgumentException("not a registry URI: '" + text + "'");
            }
            return new RegistryUri(scheme.toLowerCase(Locale.ROOT), "", "", Map.of());
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a registry URI: '" + text + "': " + e.getMessage(), e);
        }
        if (uri.getScheme() == null || uri.isOpaque()) {
            throw new IllegalArgumentException("not a registry URI (want scheme://authority/path): '" + text + "'");
        }
        return new RegistryUri(uri.getScheme().toLowerCase(Locale.ROOT), uri.getRawAuthority(), uri.getPath(),
                query(uri.getRawQuery()));
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /** An integer parameter, or {@code otherwise} when absent. */
    public int intParameter(String name, int otherwise) {
        String value = parameters.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " of " + this + " is not an integer: " + value);
        }
    }

    private static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(scheme);
        if (authority.isEmpty() && path.isEmpty() && parameters.isEmpty()) {
            return text.toString();
        }
        text.append("://").append(authority).append(path);
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            text.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
            separator = '&';
        }
        return text.toString();
    }
}
