package io.switchboard.events.amqp;

import com.rabbitmq.client.ConnectionFactory;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how {@link AmqpEvents} publishes: the broker URL ({@code amqp://user:pass@host:port/vhost}, or
 * {@code amqps://} with the JVM's trust store and host name checks), the topic exchange, the buffer limits, the
 * reconnect backoff, and how long a close may spend flushing. A malformed URL fails {@link Builder#build()} at once.
 */
public final class AmqpEventsConfig {
    public static final String DEFAULT_EXCHANGE = "switchboard.events";
    /** Events kept while the broker is away or has not confirmed them yet. */
    public static final int DEFAULT_MAX_BUFFERED_EVENTS = 10_000;
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_MIN_RECONNECT_DELAY = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final String uri;
    private final String exchange;
    private final int maxBufferedEvents;
    private final long maxBufferedBytes;
    private final Duration minReconnectDelay;
    private final Duration maxReconnectDelay;
    private final Duration connectTimeout;
    private final Duration flushTimeout;
    private final Clock clock;
    private final String username;
    private final String password;

    private AmqpEventsConfig(Builder b) {
        this.uri = b.uri;
        this.exchange = b.exchange;
        this.maxBufferedEvents = b.maxBufferedEvents;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.minReconnectDelay = b.minReconnectDelay;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.connectTimeout = b.connectTimeout;
        this.flushTimeout = b.flushTimeout;
        this.clock = b.clock;
        this.username = b.username;
        this.password = b.password;
    }

    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** A connection factory for the URL, without automatic recovery (the publisher reconnects itself). */
    ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
            if (uri.startsWith("amqps:")) {
                // setUri alone would trust every certificate.
                factory.useSslProtocol(SSLContext.getDefault());
                factory.enableHostnameVerification();
            }
        } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
            String why = e instanceof URISyntaxException syntax ? syntax.getReason() : String.valueOf(e.getMessage());
            // Never the password: the reason may quote the URL.
            throw new IllegalArgumentException("bad events URL " + redacted(uri) + ": "
                    + why.replace(uri, redacted(uri)));
        }
        if (username != null) {
            factory.setUsername(username);
        }
        if (password != null) {
            factory.setPassword(password);
        }
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setConnectionTimeout((int) connectTimeout.toMillis());
        factory.setHandshakeTimeout((int) connectTimeout.toMillis());
        factory.setShutdownTimeout((int) connectTimeout.toMillis());
        return factory;
    }

    /** The URL without its user info, for logs and {@code /health}. */
    public String redactedUri() {
        return redacted(uri);
    }

    static String redacted(String uri) {
        try {
            URI parsed = new URI(uri);
            if (parsed.getHost() == null) {
                return parsed.getScheme() + "://<no host>";
            }
            return parsed.getScheme() + "://" + parsed.getHost() + (parsed.getPort() < 0 ? "" : ":" + parsed.getPort())
                    + (parsed.getRawPath() == null ? "" : parsed.getRawPath());
        } catch (URISyntaxException | RuntimeException e) {
            return "<unparsable>";
        }
    }

    public String uri() {
        return uri;
    }

    public String exchange() {
        return exchange;
    }

    public int maxBufferedEvents() {
        return maxBufferedEvents;
    }

    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    public Duration minReconnectDelay() {
        return minReconnectDelay;
    }

    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    public Duration flushTimeout() {
        return flushTimeout;
    }

    public Clock clock() {
        return clock;
    }

    public static final class Builder {
        private final String uri;
        private String exchange = DEFAULT_EXCHANGE;
        private int maxBufferedEvents = DEFAULT_MAX_BUFFERED_EVENTS;
        private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
        private Duration minReconnectDelay = DEFAULT_MIN_RECONNECT_DELAY;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration flushTimeout = DEFAULT_FLUSH_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private String username;
        private String password;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The topic exchange, declared durable on every connect (default {@value AmqpEventsConfig#DEFAULT_EXCHANGE}). */
        public Builder exchange(String exchange) {
            if (exchange == null || exchange.isEmpty() || exchange.length() > 255) {
                throw new IllegalArgumentException("the exchange name is 1 to 255 characters");
            }
            this.exchange = exchange;
            return this;
        }

        public Builder maxBufferedEvents(int events) {
            this.maxBufferedEvents = events;
            return this;
        }

        public Builder maxBufferedBytes(long bytes) {
            this.maxBufferedBytes = bytes;
            return this;
        }

        /**
         * The first wait after a failed connect, doubled on each further failure up to {@code max}; the same bounds
         * pace the sends while the broker refuses events.
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnect delays: 0 < min <= max");
            }
            this.minReconnectDelay = min;
            this.maxReconnectDelay = max;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long {@link AmqpEvents#close()} may spend sending what is buffered. */
        public Builder flushTimeout(Duration timeout) {
            this.flushTimeout = timeout;
            return this;
        }

        /** The clock of the messages' timestamps. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Credentials apart from the URL (from the environment, so they do not show in ps). */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Checks the URL (scheme amqp or amqps, a host, a well-formed vhost); a bad one throws here. */
        public AmqpEventsConfig build() {
            if (!uri.startsWith("amqp://") && !uri.startsWith("amqps://")) {
                throw new IllegalArgumentException("bad events URL " + redacted(uri)
                        + ": expected amqp://user:pass@host:port/vhost or amqps://...");
            }
            if (maxBufferedEvents < 1 || maxBufferedBytes < 1) {
                throw new IllegalArgumentException("the event buffer needs room for at least one event");
            }
            try {
                if (new URI(uri).getHost() == null) {
                    throw new IllegalArgumentException("bad events URL " + redacted(uri)
                            + ": no host, or a port that is not a number");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("bad events URL " + redacted(uri) + ": " + e.getReason(), e);
            }
            AmqpEventsConfig config = new AmqpEventsConfig(this);
            config.connectionFactory(); // amqp-client's own checks (vhost, escapes)
            return config;
        }
    }
}
