package io.switchboard.globaldb;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A process's liveness record in globaldb ({@code process:<key>}): {@code info} (JSON stats such as sessions, heap,
 * CPU, and the daemon's view of it), {@code pid}, {@code lastupdate} (epoch ms of the last write by the process, or
 * by its daemon for a plain program) and {@code startcount} (one more at each start). Absent fields read as 0 or an
 * empty object.
 */
public record ProcessRecord(ProcessKey key, JsonNode info, long pid, long lastUpdate, long startCount) {

    /** Whether the record is older than {@code staleAfterMillis} at {@code nowMillis}: the process is hung or gone. */
    public boolean isStale(long nowMillis, long staleAfterMillis) {
        return lastUpdate == 0 || nowMillis - lastUpdate > staleAfterMillis;
    }
}
