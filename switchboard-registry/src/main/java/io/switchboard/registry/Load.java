package io.switchboard.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How busy a node is, as published in the registry. Placement sends a new user or room to the node of a service
 * type with the lowest {@link #memoryUsedRatio()} (seed 001).
 *
 * @param memoryUsedRatio used heap over maximum heap, from 0 to 1
 * @param sessions        client sessions the node holds (or, for a service node, users it serves)
 * @param rooms           rooms the node owns
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Load(double memoryUsedRatio, int sessions, int rooms) {

    /** No memory in use, no sessions, no rooms: the load of a node that has just started. */
    public static final Load IDLE = new Load(0, 0, 0);

    public Load {
        // NaN fails both comparisons, so it is refused too.
        if (!(memoryUsedRatio >= 0 && memoryUsedRatio <= 1)) {
            throw new IllegalArgumentException("memoryUsedRatio must be within 0..1, was " + memoryUsedRatio);
        }
        if (sessions < 0) {
            throw new IllegalArgumentException("sessions must not be negative, was " + sessions);
        }
        if (rooms < 0) {
            throw new IllegalArgumentException("rooms must not be negative, was " + rooms);
        }
    }

    /** The load of this JVM: its heap use, with the given session and room counts. */
    public static Load measure(int sessions, int rooms) {
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        double ratio = (double) used / runtime.maxMemory();
        return new Load(Math.min(1, Math.max(0, ratio)), sessions, rooms);
    }

    public Load withSessions(int sessions) {
        return new Load(memoryUsedRatio, sessions, rooms);
    }

    public Load withRooms(int rooms) {
        return new Load(memoryUsedRatio, sessions, rooms);
    }
}
