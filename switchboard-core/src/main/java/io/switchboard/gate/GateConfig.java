package io.switchboard.gate;

import io.netty.handler.ssl.SslContext;
import io.switchboard.api.Events;
import io.switchboard.common.port.PortPlan;
import io.switchboard.common.time.Ticker;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.serialization.JsonSerializer;
import io.switchboard.serialization.Serializer;

import java.time.Duration;
import java.util.Objects;

/** Everything a {@link GateServer} can be told; built with {@link #builder()}. Immutable. */
public final class GateConfig {
    /** The default time a client has from connecting to complete its handshake. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The default cap on a handshake package's body: a handshake is a few hundred bytes of JSON. */
    public static final int DEFAULT_MAX_HANDSHAKE_LENGTH = 8 * 1024;
    /** The default cap on open client connections: above DESIGN's 100,000 idle connections per gate. */
    public static final int DEFAULT_MAX_CONNECTIONS = 200_000;
    /** A connection cap of this means none. */
    public static final int NO_LIMIT = 0;
    /** The grace period the CLI gives dropped sessions by default; the library's default is {@link Duration#ZERO}: off. */
    public static final Duration DEFAULT_RESUME_GRACE = Duration.ofSeconds(30);
    /** The default cap on the pushes one session keeps for a resume, in encoded bytes. */
    public static final int DEFAULT_RESUME_BUFFER = 256 * 1024;
    /** The default cap on sessions parked at once: with the buffer cap, a bound on what parked sessions hold. */
    public static final int DEFAULT_MAX_PARKED_SESSIONS = 10_000;

    final String host;
    final int port;
    final Duration heartbeat;
    final Duration heartbeatCheckInterval;
    final Duration handshakeTimeout;
    final int maxBodyLength;
    final int maxHandshakeLength;
    final int maxConnections;
    final int maxConnectionsPerIp;
    final int writeBufferLowWaterMark;
    final int writeBufferHighWaterMark;
    final int maxPendingOutboundBytes;
    final int ioThreads;
    final Ticker ticker;
    final SslContext sslContext;
    final boolean allowPlaintext;
    final boolean allowCompression;
    final String websocketPath;
    final RouteDictionary dictionary;
    final Serializer serializer;
    final Duration resumeGrace;
    final int resumeBufferBytes;
    final int maxParkedSessions;
    final Events events;

    private GateConfig(Builder b) {
        events = b.events;
        host = b.host;
        port = b.port;
        heartbeat = b.heartbeat;
        heartbeatCheckInterval = b.heartbeatCheckInterval != null ? b.heartbeatCheckInterval
                : min(Duration.ofSeconds(1), b.heartbeat.dividedBy(2));
        handshakeTimeout = b.handshakeTimeout;
        maxBodyLength = b.maxBodyLength;
        maxHandshakeLength = b.maxHandshakeLength;
        maxConnections = b.maxConnections;
        maxConnectionsPerIp = b.maxConnectionsPerIp;
        writeBufferLowWaterMark = b.writeBufferLowWaterMark;
        writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        maxPendingOutboundBytes = b.maxPendingOutboundBytes;
        ioThreads = b.ioThreads;
        ticker = b.ticker;
        sslContext = b.sslContext;
        allowPlaintext = b.allowPlaintext;
        allowCompression = b.allowCompression;
        websocketPath = b.websocketPath;
        dictionary = b.dictionary;
        serializer = b.serializer;
        resumeGrace = b.resumeGrace;
        resumeBufferBytes = b.resumeBufferBytes;
        maxParkedSessions = b.maxParkedSessions;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Duration heartbeat() {
        return heartbeat;
    }

    public Duration heartbeatCheckInterval() {
        return heartbeatCheckInterval;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public int maxBodyLength() {
        return maxBodyLength;
    }

    public int maxHandshakeLength() {
        return maxHandshakeLength;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    public int writeBufferLowWaterMark() {
        return writeBufferLowWaterMark;
    }

    public int writeBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    public int maxPendingOutboundBytes() {
        return maxPendingOutboundBytes;
    }

    public Ticker ticker() {
        return ticker;
    }

    public SslContext sslContext() {
        return sslContext;
    }

    public boolean allowPlaintext() {
        return allowPlaintext;
    }

    public boolean allowCompression() {
        return allowCompression;
    }

    public String websocketPath() {
        return websocketPath;
    }

    public RouteDictionary dictionary() {
        return dictionary;
    }

    public Serializer serializer() {
        return serializer;
    }

    public int ioThreads() {
        return ioThreads;
    }

    /** How long a dropped session waits for its client to resume it; {@link Duration#ZERO}: resume is off. */
    public Duration resumeGrace() {
        return resumeGrace;
    }

    /** Whether dropped sessions are parked for a resume. */
    public boolean resumeEnabled() {
        return !resumeGrace.isZero();
    }

    public int resumeBufferBytes() {
        return resumeBufferBytes;
    }

    public int maxParkedSessions() {
        return maxParkedSessions;
    }

    /** Where the gate publishes {@code session.login} and {@code session.logout}; {@link Events#NONE} by default. */
    public Events events() {
        return events;
    }

    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = PortPlan.gate(1);
        private Duration heartbeat = Duration.ofSeconds(30);
        private Duration heartbeatCheckInterval;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxBodyLength = 1 << 20;
        private int maxHandshakeLength = DEFAULT_MAX_HANDSHAKE_LENGTH;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerIp = NO_LIMIT;
        private int writeBufferLowWaterMark = 256 * 1024;
        private int writeBufferHighWaterMark = 1024 * 1024;
        private int maxPendingOutboundBytes = 4 * 1024 * 1024;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private Ticker ticker = Ticker.system();
        private SslContext sslContext;
        private boolean allowPlaintext;
        private boolean allowCompression = true;
        private String websocketPath = "/";
        private RouteDictionary dictionary = RouteDictionary.empty();
        private Serializer serializer = JsonSerializer.INSTANCE;
        private Duration resumeGrace = Duration.ZERO;
        private int resumeBufferBytes = DEFAULT_RESUME_BUFFER;
        private int maxParkedSessions = DEFAULT_MAX_PARKED_SESSIONS;
        private Events events = Events.NONE;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The client port; 0 picks a free one. Default 10101 from the port plan. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The heartbeat interval told to clients; a client silent for twice this long is closed. */
        public Builder heartbeat(Duration heartbeat) {
            if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.toSeconds() < 1) {
                throw new IllegalArgumentException("heartbeat must be at least one second: " + heartbeat);
            }
            this.heartbeat = heartbeat;
            return this;
        }

        /** How often silence is checked; default half the heartbeat, at most a second. */
        public Builder heartbeatCheckInterval(Duration interval) {
            this.heartbeatCheckInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * How long after connecting a client has to complete the handshake (up to its ack), TLS, transport sniffing
         * and the WebSocket upgrade included; heartbeats do not extend it. Default {@link #DEFAULT_HANDSHAKE_TIMEOUT}.
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** The largest package body a client may send; a larger one is refused and the client kicked. */
        public Builder maxBodyLength(int maxBodyLength) {
            this.maxBodyLength = checkBodyLimit("maxBodyLength", maxBodyLength);
            return this;
        }

        /**
         * The largest handshake body a client may send; a larger one is refused (the client kicked) as soon as its
         * header arrives, before it is buffered or parsed. Default {@value #DEFAULT_MAX_HANDSHAKE_LENGTH}.
         */
        public Builder maxHandshakeLength(int maxHandshakeLength) {
            this.maxHandshakeLength = checkBodyLimit("maxHandshakeLength", maxHandshakeLength);
            return this;
        }

        /**
         * The most client connections open at once ({@value #NO_LIMIT}: no cap); one more is closed as soon as it is
         * accepted. Default {@value #DEFAULT_MAX_CONNECTIONS}.
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = checkConnectionLimit("maxConnections", maxConnections);
            return this;
        }

        /**
         * The most client connections open at once from one IP address ({@value #NO_LIMIT}, the default: no cap, as
         * clients behind one NAT share an address); one more is closed as soon as it is accepted.
         */
        public Builder maxConnectionsPerIp(int maxConnectionsPerIp) {
            this.maxConnectionsPerIp = checkConnectionLimit("maxConnectionsPerIp", maxConnectionsPerIp);
            return this;
        }

        private static int checkConnectionLimit(String name, int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException(name + " must be " + NO_LIMIT + " (none) or more: " + limit);
            }
            return limit;
        }

        private static int checkBodyLimit(String name, int limit) {
            if (limit < 1 || limit > PackageHeader.MAX_BODY_LENGTH) {
                throw new IllegalArgumentException(name + " must be 1.." + PackageHeader.MAX_BODY_LENGTH + ": "
                        + limit);
            }
            return limit;
        }

        /** Netty's write-buffer water marks: above {@code high} a channel stops being writable. */
        public Builder writeBufferWaterMarks(int low, int high) {
            if (low < 0 || high < low) {
                throw new IllegalArgumentException("need 0 <= low <= high");
            }
            this.writeBufferLowWaterMark = low;
            this.writeBufferHighWaterMark = high;
            return this;
        }

        /** A client that lets more than this many bytes pile up unread is disconnected as a slow reader. */
        public Builder maxPendingOutboundBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxPendingOutboundBytes must be positive");
            }
            this.maxPendingOutboundBytes = bytes;
            return this;
        }

        /** I/O threads; default one per core (handlers run on their own pool); 0 lets Netty choose. */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /** The clock for heartbeats and the handshake timeout; tests pass a ManualTicker. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Serve TLS (TCP and WSS) with this context; {@code null} for plaintext. */
        public Builder sslContext(SslContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /** With TLS configured, also accept plaintext clients on the same port (told apart by the first bytes). */
        public Builder allowPlaintext(boolean allowPlaintext) {
            this.allowPlaintext = allowPlaintext;
            return this;
        }

        /** Whether clients may ask for zlib-compressed bodies. */
        public Builder allowCompression(boolean allowCompression) {
            this.allowCompression = allowCompression;
            return this;
        }

        public Builder websocketPath(String websocketPath) {
            this.websocketPath = Objects.requireNonNull(websocketPath, "websocketPath");
            return this;
        }

        public Builder dictionary(RouteDictionary dictionary) {
            this.dictionary = Objects.requireNonNull(dictionary, "dictionary");
            return this;
        }

        public Builder serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /**
         * How long a session whose connection drops without a clean close (no kick, no close by the gate or the app,
         * no WebSocket close frame) is parked for its client to resume it (README: "Reconnect and resume"); whole
         * seconds. {@link Duration#ZERO}, the default, turns resume off.
         */
        public Builder resumeGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("resumeGrace must be 0 (off) or more: " + grace);
            }
            this.resumeGrace = grace;
            return this;
        }

        /**
         * The most encoded push bytes one session keeps for a resume (the latest ones sent, and all those meant for it
         * while parked); a parked session that would need more can no longer be resumed and ends at once. Default
         * {@value #DEFAULT_RESUME_BUFFER}.
         */
        public Builder resumeBufferBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("resumeBufferBytes must be positive: " + bytes);
            }
            this.resumeBufferBytes = bytes;
            return this;
        }

        /** The most sessions parked at once; a drop past it ends the session as before. */
        public Builder maxParkedSessions(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxParkedSessions must be positive: " + max);
            }
            this.maxParkedSessions = max;
            return this;
        }

        /** Publishes a session's login (a user id bound) and logout (unbound, or closed while bound) to {@code events}. */
        public Builder events(Events events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public GateConfig build() {
            if (maxPendingOutboundBytes < writeBufferHighWaterMark) {
                throw new IllegalArgumentException("maxPendingOutboundBytes must be at least the high water mark");
            }
            return new GateConfig(this);
        }
    }
}
