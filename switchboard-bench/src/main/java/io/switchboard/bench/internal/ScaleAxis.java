package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;

import java.util.List;
import java.util.Locale;

/** An axis of the scale scenario: what grows, the load that measures it, and the unit of its throughput. */
enum ScaleAxis {
    /** Echo over more and more connections, 64-byte bodies, a total in flight shared out (totalInFlight). */
    CONNECTIONS("connections", "requests/s"),
    /** Broadcast in one room of more and more members, 64-byte pushes. */
    ROOM_SIZE("members per room", "deliveries/s"),
    /** Echo of larger and larger bodies, on bench echo's default connections and window. */
    MESSAGE_SIZE("body bytes", "requests/s");

    private final String label;
    private final String unit;

    ScaleAxis(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    /** As in file names and the CSV: connections, room-size, message-size. */
    String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What the x axis says. */
    String label() {
        return label;
    }

    /** What the throughput counts. */
    String unit() {
        return unit;
    }

    List<Integer> points(BenchOptions options) {
        return switch (this) {
            case CONNECTIONS -> options.connectionPoints();
            case ROOM_SIZE -> options.memberPoints();
            case MESSAGE_SIZE -> options.bodyPoints();
        };
    }
}
