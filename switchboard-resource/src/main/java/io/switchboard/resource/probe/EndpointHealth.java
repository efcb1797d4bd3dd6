package io.switchboard.resource.probe;

import io.switchboard.resource.config.Endpoint;
import io.switchboard.resource.config.Heartbeat;

/**
 * The probe record of one endpoint: its state, how many probes in a row failed or succeeded, and when the next is
 * due. A new endpoint is up after its first success; an up one is down after {@code lose_time} failures in a row; a
 * down one is up after {@code recover_time} successes in a row. Confined to the prober's event loop.
 */
final class EndpointHealth {
    final Endpoint endpoint;
    private ProbeState state = ProbeState.PENDING;
    private int successes;
    private int failures;
    long nextDue;
    boolean inFlight;

    EndpointHealth(Endpoint endpoint, long firstDue) {
        this.endpoint = endpoint;
        this.nextDue = firstDue;
    }

    ProbeState state() {
        return state;
    }

    /** Counts one probe; returns the state it moved to, or {@code null} when it stays. */
    ProbeState record(boolean answered) {
        Heartbeat heartbeat = endpoint.heartbeat();
        ProbeState next = state;
        if (answered) {
            failures = 0;
            successes++;
            if (state == ProbeState.PENDING || state == ProbeState.DOWN && successes >= heartbeat.recoverTime()) {
                next = ProbeState.UP;
            }
        } else {
            successes = 0;
            failures++;
            if (state != ProbeState.DOWN && failures >= heartbeat.loseTime()) {
                next = ProbeState.DOWN;
            }
        }
        if (next == state) {
            return null;
        }
        state = next;
        return next;
    }

    int successes() {
        return successes;
    }

    int failures() {
        return failures;
    }
}
