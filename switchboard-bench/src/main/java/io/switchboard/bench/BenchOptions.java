package io.switchboard.bench;

import io.switchboard.bench.internal.DemoRoutes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a bench run needs to know, with defaults sized for a small machine. Built with
 * {@link #builder()}; the command line maps its flags one to one onto the builder's methods.
 *
 * <p>Targets: {@code baseline} (the raw-Netty {@link BaselineServer}, started here), {@code standalone} (the
 * Switchboard demo server, started here), {@code cluster} (ZooKeeper, a gate and a demo node, each started here
 * in a child JVM), or {@code tcp://host:port} / {@code ws://host:port} for any server
 * that speaks the protocol and serves the demo routes.
 */
public final class BenchOptions {
    public static final String TARGET_BASELINE = "baseline";
    public static final String TARGET_STANDALONE = "standalone";
    /** Registry, gate and demo node, each in a child JVM: the path a deployment takes. */
    public static final String TARGET_CLUSTER = "cluster";

    private final Scenario scenario;
    private final String target;
    private final boolean websocket;
    private final boolean compare;
    private final boolean withCluster;
    private final int repeats;
    private final boolean pin;
    private final Boolean fork;
    private final List<String> serverJvmArgs;
    private final int clientThreads;
    private final int serverThreads;
    private final Duration warmup;
    private final Duration duration;
    private final Duration progressInterval;
    private final int connections;
    private final int inFlight;
    private final int requestsPerConnection;
    private final double rate;
    private final boolean halfRate;
    private final int bodySize;
    private final boolean onWorkers;
    private final boolean bytesBody;
    private final int rooms;
    private final int members;
    private final int messagesPerSender;
    private final int idleConnections;
    private final Duration hold;
    private final int connectConcurrency;
    private final int sourceAddresses;
    private final int churnMessages;
    private final int cyclesPerWorker;
    private final int resumeRounds;
    private final String metricsUrl;
    private final double roomRate;
    private final int churnWorkers;
    private final Duration churnPause;
    private final Duration sampleEvery;
    private final Path outDirectory;
    private final String jmhInclude;
    private final Duration jmhTime;
    private final List<String> scaleTargets;
    private final List<Integer> connectionPoints;
    private final List<Integer> memberPoints;
    private final List<Integer> bodyPoints;
    private final int totalInFlight;
    private final Duration settle;

    private BenchOptions(Builder b) {
        scenario = b.scenario;
        target = b.target;
        websocket = b.websocket || b.target.startsWith("ws://");
        compare = b.compare;
        withCluster = b.withCluster;
        if (b.repeats > 1 && !b.compare) {
            throw new IllegalArgumentException("--repeat measures the compared targets again: it goes with --compare");
        }
        repeats = b.repeats;
        pin = b.pin;
        fork = b.fork;
        serverJvmArgs = List.copyOf(b.serverJvmArgs);
        clientThreads = b.clientThreads;
        serverThreads = b.serverThreads;
        warmup = b.warmup;
        duration = b.duration;
        progressInterval = b.progressInterval;
        connections = b.connections;
        inFlight = b.inFlight;
        requestsPerConnection = b.requestsPerConnection;
        rate = b.rate;
        halfRate = b.halfRate;
        bodySize = b.bodySize;
        onWorkers = b.onWorkers;
        bytesBody = b.bytesBody;
        rooms = b.rooms;
        members = b.members;
        messagesPerSender = b.messagesPerSender;
        idleConnections = b.idleConnections;
        hold = b.hold;
        connectConcurrency = b.connectConcurrency;
        sourceAddresses = b.sourceAddresses;
        churnMessages = b.churnMessages;
        cyclesPerWorker = b.cyclesPerWorker;
        resumeRounds = b.resumeRounds;
        metricsUrl = b.metricsUrl;
        roomRate = b.roomRate;
        churnWorkers = b.churnWorkers;
        churnPause = b.churnPause;
        sampleEvery = b.sampleEvery;
        outDirectory = b.outDirectory;
        jmhInclude = b.jmhInclude;
        jmhTime = b.jmhTime;
        scaleTargets = List.copyOf(b.scaleTargets);
        connectionPoints = List.copyOf(b.connectionPoints);
        memberPoints = List.copyOf(b.memberPoints);
        bodyPoints = List.copyOf(b.bodyPoints);
        totalInFlight = b.totalInFlight;
        settle = b.settle;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The soak's defaults: ten minutes against the standalone demo of a gentle paced mix (echo at 500 req/s over 20
     * connections, 4 rooms of 25 at 10 messages/s each, 4 churn workers pausing 50 ms), so that the machine is not
     * saturated and what grows is the server, not a queue.
     */
    public static Builder soak() {
        return builder().scenario(Scenario.SOAK).target(TARGET_STANDALONE).duration(Duration.ofMinutes(10))
                .connections(20).rate(500).rooms(4).members(25).churnPause(Duration.ofMillis(50));
    }

    public Scenario scenario() {
        return scenario;
    }

    /** {@code baseline}, {@code standalone}, {@code cluster}, {@code tcp://host:port} or {@code ws://host:port}. */
    public String target() {
        return target;
    }

    /** Talk WebSocket rather than raw TCP (always for a {@code ws://} target). */
    public boolean websocket() {
        return websocket;
    }

    /** Run against the baseline and then standalone, and report Switchboard ÷ baseline. */
    public boolean compare() {
        return compare;
    }

    /** In a compare run, measure the cluster too (after baseline and standalone). */
    public boolean withCluster() {
        return withCluster;
    }

    /**
     * In a compare run, how many times the compared targets are measured one after the other: each round's ratios
     * are reported, and each ratio's median over the rounds. 1 by default.
     */
    public int repeats() {
        return repeats;
    }

    /** The targets of this run, in order: one, or the compared ones. */
    public List<String> targets() {
        if (scenario == Scenario.SCALE) {
            return scaleTargets;
        }
        if (!compare) {
            return List.of(target);
        }
        return withCluster ? List.of(TARGET_BASELINE, TARGET_STANDALONE, TARGET_CLUSTER)
                : List.of(TARGET_BASELINE, TARGET_STANDALONE);
    }

    /**
     * Pin the generator to the lower half of the CPUs and forked servers to the upper half ({@code taskset}), so
     * the two do not trade cores; off by default (on 2 cores it halves what the server may use).
     */
    public boolean pin() {
        return pin;
    }

    /**
     * Run a local target (baseline, standalone) in a child JVM (a cluster's processes always are). The connections,
     * soak and scale scenarios do unless told otherwise, since in one JVM the server's heap, threads and files would
     * include the generator's own (and scale's 10,000 connections would need both ends' sockets in one process).
     */
    public boolean fork() {
        return fork != null ? fork : pin || scenario == Scenario.CONNECTIONS || scenario == Scenario.SOAK
                || scenario == Scenario.SCALE;
    }

    /** JVM options for a forked server, e.g. {@code -Xmx2g}. */
    public List<String> serverJvmArgs() {
        return serverJvmArgs;
    }

    /** The generator's event-loop threads. */
    public int clientThreads() {
        return clientThreads;
    }

    /** I/O threads of a local server, baseline and standalone alike. */
    public int serverThreads() {
        return serverThreads;
    }

    public Duration warmup() {
        return warmup;
    }

    public Duration duration() {
        return duration;
    }

    /** How often the live progress line is printed; zero for none. */
    public Duration progressInterval() {
        return progressInterval;
    }

    /** Echo: connections; churn: concurrent workers. */
    public int connections() {
        return connections;
    }

    /** Echo: requests kept in flight per connection. Broadcast at full speed: messages in flight per room. */
    public int inFlight() {
        return inFlight;
    }

    /** Echo: stop after this many responses per connection instead of after {@link #duration()}; 0 for time. */
    public int requestsPerConnection() {
        return requestsPerConnection;
    }

    /** Echo: total requests per second, paced; broadcast: messages per second per room; 0 for flat out. */
    public double rate() {
        return rate;
    }

    /** Echo: after the flat-out run, run again paced at half its throughput and report that latency too. */
    public boolean halfRate() {
        return halfRate;
    }

    /** Size of the message bodies: echo requests, broadcast pushes. */
    public int bodySize() {
        return bodySize;
    }

    /**
     * Echo: request {@code demo.echo.sayOnWorkers}, whose handler runs on the worker pool (the framework's default
     * path), instead of {@code demo.echo.say}, which the demo marks to run on the I/O thread.
     */
    public boolean onWorkers() {
        return onWorkers;
    }

    /**
     * Echo on the workers: request {@code demo.echo.sayBytesOnWorkers}, whose handler takes and returns the body's
     * bytes, so no JSON is parsed or written: the baseline's work, on the framework's default path.
     */
    public boolean bytesBody() {
        return bytesBody;
    }

    /** The route echo requests go to. */
    public String echoRoute() {
        if (!onWorkers) {
            return DemoRoutes.ECHO_SAY;
        }
        return bytesBody ? DemoRoutes.ECHO_SAY_BYTES_ON_WORKERS : DemoRoutes.ECHO_SAY_ON_WORKERS;
    }

    public int rooms() {
        return rooms;
    }

    /** Members per room (broadcast). */
    public int members() {
        return members;
    }

    /** Broadcast: stop after this many messages per sender instead of after {@link #duration()}; 0 for time. */
    public int messagesPerSender() {
        return messagesPerSender;
    }

    /** Connections: how many idle connections to open and hold. */
    public int idleConnections() {
        return idleConnections;
    }

    /** Connections: how long to hold them before measuring. */
    public Duration hold() {
        return hold;
    }

    /** Connects (and handshakes) under way at once. */
    public int connectConcurrency() {
        return connectConcurrency;
    }

    /** 127.0.0.x source addresses to spread connections over; 0 to pick from the port range. */
    public int sourceAddresses() {
        return sourceAddresses;
    }

    /** Churn: messages sent in the room per cycle. */
    public int churnMessages() {
        return churnMessages;
    }

    /** Churn: stop after this many cycles per worker instead of after {@link #duration()}; 0 for time. */
    public int cyclesPerWorker() {
        return cyclesPerWorker;
    }

    /** Resume: how many times every member drops and resumes. */
    public int resumeRounds() {
        return resumeRounds;
    }

    /** A remote target's Prometheus endpoint, or {@code null}. */
    public String metricsUrl() {
        return metricsUrl;
    }

    /** Soak: messages per second each room's sender says. */
    public double roomRate() {
        return roomRate;
    }

    /** Soak: churn workers, each looping connect, join, say, leave, disconnect. */
    public int churnWorkers() {
        return churnWorkers;
    }

    /** Churn: a worker's pause between cycles, so a long run does not use up the ephemeral ports. */
    public Duration churnPause() {
        return churnPause;
    }

    /** Soak: how often the servers and the generator are sampled. */
    public Duration sampleEvery() {
        return sampleEvery;
    }

    /** Soak and scale: where the CSV files and the charts (PNG) are written; target/soak or target/scale. */
    public Path outDirectory() {
        return outDirectory != null ? outDirectory
                : Path.of("target", scenario == Scenario.SCALE ? "scale" : "soak");
    }

    /** JMH: regular expression of the benchmarks to run. */
    public String jmhInclude() {
        return jmhInclude;
    }

    /** JMH: length of each warm-up and measurement iteration. */
    public Duration jmhTime() {
        return jmhTime;
    }

    /** Scale: the targets measured one after the other, each at every point of every axis. */
    public List<String> scaleTargets() {
        return scaleTargets;
    }

    /** Scale: the connection counts of the echo connections axis. */
    public List<Integer> connectionPoints() {
        return connectionPoints;
    }

    /** Scale: the room sizes of the broadcast axis (one room). */
    public List<Integer> memberPoints() {
        return memberPoints;
    }

    /** Scale: the echo body sizes of the message-size axis. */
    public List<Integer> bodyPoints() {
        return bodyPoints;
    }

    /**
     * Scale: requests in flight over all connections on the connections axis; each connection keeps
     * {@code max(1, totalInFlight / connections)}, so past {@code totalInFlight} connections it is one per connection.
     */
    public int totalInFlight() {
        return totalInFlight;
    }

    /** Scale: unmeasured echo load against each target before its first point, so the JIT has compiled it. */
    public Duration settle() {
        return settle;
    }

    /** The options as {@link BenchMain} arguments, so that a report says how to run it again. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(scenario.name().toLowerCase(java.util.Locale.ROOT));
        if (scenario == Scenario.JMH) {
            return s.append(" --jmh '").append(jmhInclude).append("' --jmh-time ").append(seconds(jmhTime)).toString();
        }
        s.append(scenario == Scenario.SCALE ? " --targets " + String.join(",", scaleTargets)
                        : compare ? " --compare" + (withCluster ? " --with-cluster" : "")
                        + (repeats > 1 ? " --repeat " + repeats : "") : " --target " + target)
                .append(websocket ? " --ws" : "").append(pin ? " --pin" : "")
                .append(fork() ? " --fork" : " --in-process")
                .append(" --client-threads ").append(clientThreads).append(" --server-threads ").append(serverThreads);
        if (!serverJvmArgs.isEmpty()) {
            s.append(" --server-jvm-args '").append(String.join(" ", serverJvmArgs)).append('\'');
        }
        switch (scenario) {
            case ECHO -> s.append(" --connections ").append(connections).append(" --in-flight ").append(inFlight)
                    .append(requestsPerConnection > 0 ? " --requests " + requestsPerConnection : "")
                    .append(rate > 0 ? " --rate " + rate : "").append(halfRate ? " --half-rate" : "")
                    .append(" --body ").append(bodySize).append(onWorkers ? " --on-workers" : "")
                    .append(bytesBody ? " --bytes" : "");
            case BROADCAST -> s.append(" --rooms ").append(rooms).append(" --members ").append(members)
                    .append(rate > 0 ? " --rate " + rate : " --in-flight " + inFlight).append(" --body ").append(bodySize)
                    .append(messagesPerSender > 0 ? " --messages " + messagesPerSender : "");
            case CONNECTIONS -> s.append(" --idle ").append(idleConnections).append(" --hold ").append(seconds(hold))
                    .append(sourceAddresses > 0 ? " --sources " + sourceAddresses : "");
            case CHURN -> s.append(" --connections ").append(connections).append(" --rooms ").append(rooms)
                    .append(" --says ").append(churnMessages)
                    .append(cyclesPerWorker > 0 ? " --cycles " + cyclesPerWorker : "");
            case RESUME -> s.append(" --connections ").append(connections).append(" --rooms ").append(rooms)
                    .append(" --says ").append(churnMessages).append(" --rounds ").append(resumeRounds);
            case SOAK -> s.append(" --connections ").append(connections).append(" --rate ").append(rate)
                    .append(" --rooms ").append(rooms).append(" --members ").append(members)
                    .append(" --room-rate ").append(roomRate).append(" --churn-workers ").append(churnWorkers)
                    .append(" --says ").append(churnMessages).append(" --churn-pause ").append(seconds(churnPause))
                    .append(" --body ").append(bodySize).append(" --sample-every ").append(seconds(sampleEvery))
                    .append(" --out ").append(outDirectory());
            case SCALE -> s.append(" --connections ").append(joined(connectionPoints))
                    .append(" --in-flight-total ").append(totalInFlight).append(" --members ")
                    .append(joined(memberPoints)).append(" --in-flight ").append(inFlight)
                    .append(" --body ").append(joined(bodyPoints)).append(" --settle ").append(seconds(settle))
                    .append(" --out ").append(outDirectory());
            default -> { }
        }
        if (scenario == Scenario.SOAK) {
            s.append(" --duration ").append(seconds(duration));
        } else if (scenario != Scenario.CONNECTIONS && scenario != Scenario.RESUME) {
            s.append(" --warmup ").append(seconds(warmup)).append(" --duration ").append(seconds(duration));
        }
        return s.toString();
    }

    private static String joined(List<Integer> points) {
        return String.join(",", points.stream().map(String::valueOf).toList());
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Collects options; every setter has a default sized for a 2-core machine. */
    public static final class Builder {
        private Scenario scenario = Scenario.ECHO;
        private String target = TARGET_BASELINE;
        private boolean websocket;
        private boolean compare;
        private boolean withCluster;
        private int repeats = 1;
        private boolean pin;
        private Boolean fork;
        private List<String> serverJvmArgs = List.of();
        private int clientThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        private int serverThreads = Runtime.getRuntime().availableProcessors();
        private Duration warmup = Duration.ofSeconds(3);
        private Duration duration = Duration.ofSeconds(10);
        private Duration progressInterval = Duration.ofSeconds(1);
        private int connections = 50;
        private int inFlight = 8;
        private int requestsPerConnection;
        private double rate;
        private boolean halfRate;
        private int bodySize = 64;
        private boolean onWorkers;
        private boolean bytesBody;
        private int rooms = 1;
        private int members = 1000;
        private int messagesPerSender;
        private int idleConnections = 10_000;
        private Duration hold = Duration.ofSeconds(10);
        private int connectConcurrency = 256;
        private int sourceAddresses;
        private int churnMessages = 5;
        private int cyclesPerWorker;
        private int resumeRounds = 3;
        private String metricsUrl;
        private double roomRate = 10;
        private int churnWorkers = 4;
        private Duration churnPause = Duration.ZERO;
        private Duration sampleEvery = Duration.ofSeconds(5);
        private Path outDirectory;
        private String jmhInclude = "io\\.switchboard\\.bench\\.jmh\\..*";
        private Duration jmhTime = Duration.ofSeconds(1);
        private List<String> scaleTargets = List.of(TARGET_BASELINE, TARGET_STANDALONE, TARGET_CLUSTER);
        private List<Integer> connectionPoints = List.of(100, 1_000, 5_000, 10_000);
        private List<Integer> memberPoints = List.of(10, 100, 1_000, 10_000);
        private List<Integer> bodyPoints = List.of(64, 1_024, 16_384, 65_536);
        private int totalInFlight = 1_000;
        private Duration settle = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder scenario(Scenario scenario) {
            this.scenario = Objects.requireNonNull(scenario);
            return this;
        }

        public Builder target(String target) {
            this.target = Objects.requireNonNull(target);
            return this;
        }

        public Builder websocket(boolean websocket) {
            this.websocket = websocket;
            return this;
        }

        public Builder compare(boolean compare) {
            this.compare = compare;
            return this;
        }

        public Builder withCluster(boolean withCluster) {
            this.withCluster = withCluster;
            return this;
        }

        public Builder repeats(int repeats) {
            this.repeats = positive(repeats, "repeats");
            return this;
        }

        public Builder pin(boolean pin) {
            this.pin = pin;
            return this;
        }

        public Builder fork(boolean fork) {
            this.fork = fork;
            return this;
        }

        public Builder serverJvmArgs(List<String> args) {
            this.serverJvmArgs = List.copyOf(args);
            return this;
        }

        public Builder clientThreads(int threads) {
            this.clientThreads = positive(threads, "clientThreads");
            return this;
        }

        public Builder serverThreads(int threads) {
            this.serverThreads = positive(threads, "serverThreads");
            return this;
        }

        public Builder warmup(Duration warmup) {
            this.warmup = Objects.requireNonNull(warmup);
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = Objects.requireNonNull(duration);
            return this;
        }

        public Builder progressInterval(Duration interval) {
            this.progressInterval = Objects.requireNonNull(interval);
            return this;
        }

        public Builder connections(int connections) {
            this.connections = positive(connections, "connections");
            return this;
        }

        public Builder inFlight(int inFlight) {
            this.inFlight = positive(inFlight, "inFlight");
            return this;
        }

        public Builder requestsPerConnection(int requests) {
            this.requestsPerConnection = requests;
            return this;
        }

        public Builder rate(double rate) {
            this.rate = rate;
            return this;
        }

        public Builder halfRate(boolean halfRate) {
            this.halfRate = halfRate;
            return this;
        }

        public Builder bodySize(int bodySize) {
            this.bodySize = positive(bodySize, "bodySize");
            return this;
        }

        public Builder onWorkers(boolean onWorkers) {
            this.onWorkers = onWorkers;
            return this;
        }

        /** With {@link #onWorkers}: the echo handler that takes the body as bytes (see {@link #bytesBody()}). */
        public Builder bytesBody(boolean bytesBody) {
            this.bytesBody = bytesBody;
            return this;
        }

        public Builder rooms(int rooms) {
            this.rooms = positive(rooms, "rooms");
            return this;
        }

        public Builder members(int members) {
            this.members = positive(members, "members");
            return this;
        }

        public Builder messagesPerSender(int messages) {
            this.messagesPerSender = messages;
            return this;
        }

        public Builder idleConnections(int connections) {
            this.idleConnections = positive(connections, "idleConnections");
            return this;
        }

        public Builder hold(Duration hold) {
            this.hold = Objects.requireNonNull(hold);
            return this;
        }

        public Builder connectConcurrency(int concurrency) {
            this.connectConcurrency = positive(concurrency, "connectConcurrency");
            return this;
        }

        public Builder sourceAddresses(int addresses) {
            this.sourceAddresses = addresses;
            return this;
        }

        public Builder churnMessages(int messages) {
            this.churnMessages = messages;
            return this;
        }

        public Builder cyclesPerWorker(int cycles) {
            this.cyclesPerWorker = cycles;
            return this;
        }

        public Builder resumeRounds(int rounds) {
            if (rounds < 1) {
                throw new IllegalArgumentException("resumeRounds must be at least 1: " + rounds);
            }
            this.resumeRounds = rounds;
            return this;
        }

        public Builder metricsUrl(String url) {
            this.metricsUrl = url;
            return this;
        }

        public Builder roomRate(double perSecond) {
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("roomRate must be positive: " + perSecond);
            }
            this.roomRate = perSecond;
            return this;
        }

        public Builder churnWorkers(int workers) {
            this.churnWorkers = positive(workers, "churnWorkers");
            return this;
        }

        public Builder churnPause(Duration pause) {
            this.churnPause = Objects.requireNonNull(pause);
            return this;
        }

        public Builder sampleEvery(Duration every) {
            if (every.isZero() || every.isNegative()) {
                throw new IllegalArgumentException("sampleEvery must be positive: " + every);
            }
            this.sampleEvery = every;
            return this;
        }

        public Builder outDirectory(Path directory) {
            this.outDirectory = Objects.requireNonNull(directory);
            return this;
        }

        public Builder jmhInclude(String regex) {
            this.jmhInclude = Objects.requireNonNull(regex);
            return this;
        }

        public Builder jmhTime(Duration time) {
            this.jmhTime = Objects.requireNonNull(time);
            return this;
        }

        public Builder scaleTargets(List<String> targets) {
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("scaleTargets must name at least one target");
            }
            this.scaleTargets = List.copyOf(targets);
            return this;
        }

        public Builder connectionPoints(List<Integer> points) {
            this.connectionPoints = points(points, "connectionPoints");
            return this;
        }

        public Builder memberPoints(List<Integer> points) {
            this.memberPoints = points(points, "memberPoints");
            return this;
        }

        public Builder bodyPoints(List<Integer> points) {
            this.bodyPoints = points(points, "bodyPoints");
            return this;
        }

        public Builder totalInFlight(int inFlight) {
            this.totalInFlight = positive(inFlight, "totalInFlight");
            return this;
        }

        public Builder settle(Duration settle) {
            this.settle = Objects.requireNonNull(settle);
            return this;
        }

        public BenchOptions build() {
            return new BenchOptions(this);
        }

        /** Points of an axis: at least one, each above zero. */
        private static List<Integer> points(List<Integer> points, String name) {
            if (points.isEmpty()) {
                throw new IllegalArgumentException(name + " must hold at least one point");
            }
            points.forEach(p -> positive(p, name));
            return List.copyOf(points);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
