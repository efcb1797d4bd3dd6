package io.switchboard.bench;

import java.util.List;

/** What a bench run measures. */
public enum Scenario {
    /**
     * Connections each keeping requests in flight on {@code demo.echo.say}: throughput and latency; and the machine's
     * stalls in each target's window, so a p99 ratio can be read against whether the machine treated both alike.
     */
    ECHO("requests_per_s", "p99_us", "server_cpu_us_per_request", "hiccup_stalled_ms_per_s"),
    /** Rooms of members, one sender per room: deliveries per second and delivery latency; the stalls as for echo. */
    BROADCAST("deliveries_per_s", "p99_us", "server_cpu_us_per_delivery", "hiccup_stalled_ms_per_s"),
    /** Idle connections held open: the server's memory per connection, and the connect rate. */
    CONNECTIONS("connects_per_s", "heap_bytes_per_connection", "jvm_bytes_per_connection",
            "marginal_jvm_bytes_per_connection"),
    /** Connect, join, talk, leave, disconnect, in loops. */
    CHURN("cycles_per_s", "p99_us"),
    /** Members of rooms drop at once and resume their sessions while a sender talks; Switchboard only. */
    RESUME(),
    /**
     * Echo, room broadcast and churn at once for a long time, sampling the servers' memory, threads and files and
     * the generator's latency and throughput; fails when any of them grows. Not compared.
     */
    SOAK(),
    /**
     * How cost grows with work: echo against the number of connections and the message size, broadcast against the
     * room size, each point flat out and then paced at half that rate; CSV and a chart per axis. Not compared.
     */
    SCALE(),
    /** The JMH micro-benchmarks of the codecs, route dictionary, cluster frames and ID generator. */
    JMH();

    private final List<String> compared;

    Scenario(String... compared) {
        this.compared = List.of(compared);
    }

    /** The figures a {@code --compare} run divides, Switchboard's by the baseline's. */
    public List<String> comparedFigures() {
        return compared;
    }

    /** Parses a scenario name as the command line writes it ({@code echo}, {@code broadcast}, ...). */
    public static Scenario of(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
