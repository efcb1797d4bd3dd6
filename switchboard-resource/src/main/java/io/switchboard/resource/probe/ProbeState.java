package io.switchboard.resource.probe;

/** Where an endpoint stands. Only {@link #UP} endpoints are served as live. */
public enum ProbeState {
    /** Probed, not yet answered once (new, or its address changed). */
    PENDING,
    /** Answering; or a {@code service_list} endpoint, which is never probed. */
    UP,
    /** Failed {@code lose_time} probes in a row and has not yet answered {@code recover_time} in a row. */
    DOWN;

    /** The name the API and metrics use. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
