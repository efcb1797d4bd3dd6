package io.switchboard.globaldb;

import java.util.Objects;

/**
 * A process's name in globaldb: {@code <region>.<machine ip>.<name>}. The IP has dots of its own, so region and name
 * may not: the key splits at its first and last dot.
 */
public record ProcessKey(String region, String ip, String name) {

    public ProcessKey {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(name, "name");
        if (region.indexOf('.') >= 0 || name.indexOf('.') >= 0) {
            throw new IllegalArgumentException("region and name may not contain '.': " + region + ", " + name);
        }
    }

    /** Parses {@code region.ip.name}. */
    public static ProcessKey parse(String key) {
        int first = key.indexOf('.');
        int last = key.lastIndexOf('.');
        if (first <= 0 || last <= first + 1 || last == key.length() - 1) {
            throw new IllegalArgumentException("not a process key (region.ip.name): " + key);
        }
        return new ProcessKey(key.substring(0, first), key.substring(first + 1, last), key.substring(last + 1));
    }

    @Override
    public String toString() {
        return region + '.' + ip + '.' + name;
    }
}
