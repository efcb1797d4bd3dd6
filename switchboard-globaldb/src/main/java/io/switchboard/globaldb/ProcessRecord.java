package io.switchboard.globaldb;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A process's liveness record in globaldb ({@code process:<key>}): {@code info} (JSON stats such as sessions, heap,
 * CPU), {@code pid}, {@code lastupdate} (epoch ms of the last write by the process, or by its daemon for a plain
 * program), {@code startcount} (one more at each start) and {@code state}, the daemon's supervisor state for it
 * ({@code RUNNING}, {@code BACKOFF}, {@code FATAL}, ...; written by the daemon only, so other machines can show it).
 * Absent fields read as 0, an empty object or an empty string.
 */
public record ProcessRecord(ProcessKey key, JsonNode info, long pid, long lastUpdate, long startCount, String state) {

    /** Whether the record is older than {@code staleAfterMillis} at {@code nowMillis}: the process is hung or gone. */
    public boolean isStale(long nowMillis, long staleAfterMillis) {
        return lastUpdate == 0 || nowMillis - lastUpdate > staleAfterMillis;
    }
}
