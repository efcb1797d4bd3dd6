package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.switchboard.client.internal.ClientSettings;
import io.switchboard.common.time.Ticker;
import io.switchboard.protocol.Json;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link SwitchboardClient}. Only the target is required; everything else has a default.
 *
 * <p>For {@code tls://} and {@code wss://} the server's certificate is checked against the JVM's trusted
 * roots and its host name, unless {@link #trustManager(TrustManagerFactory)}, {@link #trustedCertificates}
 * or {@link #insecure()} say otherwise, or {@link #sslContext(SslContext)} supplies the whole TLS setup.
 */
public final class SwitchboardClientBuilder {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(100);
    /** The default {@link #maxBodyLength(int)}: 16 MiB − 1, the largest body a package header can announce. */
    public static final int DEFAULT_MAX_BODY_LENGTH = ClientSettings.DEFAULT_MAX_BODY_LENGTH;
    /** The default {@link #maxPendingWriteBytes(int)}: 32 MiB. */
    public static final int DEFAULT_MAX_PENDING_WRITE_BYTES = ClientSettings.DEFAULT_MAX_PENDING_WRITE_BYTES;
    /** The smallest {@link #maxPendingWriteBytes(int)}: the channel's default write-buffer high water mark. */
    public static final int MIN_MAX_PENDING_WRITE_BYTES = 64 * 1024;

    private final URI target;
    private JsonNode user;
    private final ObjectNode sys = Json.MAPPER.createObjectNode();
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration tickInterval = DEFAULT_TICK_INTERVAL;
    private Ticker ticker = Ticker.system();
    private EventLoopGroup group;
    private Dialer dialer;
    private SslContext sslContext;
    private TrustManagerFactory trustManagerFactory;
    private X509Certificate[] trustedCertificates;
    private boolean insecure;
    private ClientSettings.KnownRoutes knownRoutes;
    private ReconnectPolicy reconnect;
    private int maxBodyLength = DEFAULT_MAX_BODY_LENGTH;
    private int maxPendingWriteBytes = DEFAULT_MAX_PENDING_WRITE_BYTES;

    SwitchboardClientBuilder(URI target) {
        this.target = Objects.requireNonNull(target, "target");
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("tcp") && !scheme.equals("tls") && !scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("scheme must be tcp, tls, ws or wss: " + target);
        }
        if (target.getHost() == null) {
            throw new IllegalArgumentException("no host in " + target);
        }
        if ((scheme.equals("tcp") || scheme.equals("tls")) && target.getPort() == -1) {
            throw new IllegalArgumentException("no port in " + target);
        }
    }

    /** The handshake's {@code user} object, handed to the server's handshake validators. Default {@code {}}. */
    public SwitchboardClientBuilder user(JsonNode user) {
        this.user = user;
        return this;
    }

    /**
     * Adds a field to the handshake's {@code sys} object, next to {@code type} and {@code version} (which it
     * may replace): for example {@code sys("compress", BooleanNode.TRUE)} to ask for zlib bodies.
     */
    public SwitchboardClientBuilder sys(String field, JsonNode value) {
        sys.set(Objects.requireNonNull(field, "field"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * The largest package body the client reads from its server (the handshake answer included), 0 to 16 MiB − 1
     * (the default): a larger one closes the connection as a protocol error before its body is buffered. It bounds a
     * compressed body's inflated size too (compressed bodies are read only when the handshake asked for them with
     * {@code sys("compress", true)}). Over WebSocket it caps the frames as well: a frame, or a fragmented message,
     * longer than one package, {@code maxBodyLength} + 4 bytes, closes the connection the same way (refused on its
     * header, before its payload is buffered), since servers send each package in a frame of its own. A custom
     * {@link #dialer(Dialer) dialer} finds it in {@link DialContext#maxBodyLength()}.
     */
    public SwitchboardClientBuilder maxBodyLength(int maxBodyLength) {
        if (maxBodyLength < 0 || maxBodyLength > DEFAULT_MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("maxBodyLength must be 0.." + DEFAULT_MAX_BODY_LENGTH + ": "
                    + maxBodyLength);
        }
        this.maxBodyLength = maxBodyLength;
        return this;
    }

    /**
     * How many bytes may wait to be written to the server, at least 64 KiB; default 32 MiB. A server that stops
     * reading would otherwise make the client buffer every request and notify without bound: once more than this
     * waits, the connection is closed ({@link CloseReason.Kind#CONNECTION_CLOSED}, so with
     * {@link #reconnect(ReconnectPolicy) reconnect} on it is dialed again). Counted as Netty counts pending writes,
     * with a small overhead per message.
     */
    public SwitchboardClientBuilder maxPendingWriteBytes(int maxPendingWriteBytes) {
        if (maxPendingWriteBytes < MIN_MAX_PENDING_WRITE_BYTES) {
            throw new IllegalArgumentException("maxPendingWriteBytes must be at least " + MIN_MAX_PENDING_WRITE_BYTES
                    + ": " + maxPendingWriteBytes);
        }
        this.maxPendingWriteBytes = maxPendingWriteBytes;
        return this;
    }

    /** How long a request waits for its answer before failing with a TimeoutException. Default 10 s. */
    public SwitchboardClientBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        return this;
    }

    /** Bound on each step of connecting: TCP, TLS, WebSocket upgrade, Pomelo handshake. Default 10 s. */
    public SwitchboardClientBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        return this;
    }

    /**
     * How often (in real time) the client checks its deadlines and sends due heartbeats: the granularity of
     * the request timeout and the heartbeat. Default 100 ms.
     */
    public SwitchboardClientBuilder tickInterval(Duration tickInterval) {
        this.tickInterval = positive(tickInterval, "tickInterval");
        return this;
    }

    /**
     * The clock that heartbeats, the handshake deadline, request timeouts and the reconnect policy's
     * {@link ReconnectPolicy#giveUpAfter() giveUpAfter} and {@link ReconnectPolicy#stableAfter() stableAfter} read.
     * Default the JVM's.
     */
    public SwitchboardClientBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /**
     * Runs the connection on a group the caller owns (NIO, such as
     * {@code new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory())}), which {@link SwitchboardClient#close()}
     * leaves running. By default each client makes a one-thread group and stops it on close.
     */
    public SwitchboardClientBuilder eventLoopGroup(EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
        return this;
    }

    /** Dials with this dialer instead of the scheme's ({@link TcpDialer} or {@link WebSocketDialer}). */
    public SwitchboardClientBuilder dialer(Dialer dialer) {
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        return this;
    }

    /** The whole TLS setup for {@code tls://} and {@code wss://}; the trust options below are then unused. */
    public SwitchboardClientBuilder sslContext(SslContext sslContext) {
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        return this;
    }

    /** Trusts the certificates this factory's trust managers trust, instead of the JVM's roots. */
    public SwitchboardClientBuilder trustManager(TrustManagerFactory trustManagerFactory) {
        this.trustManagerFactory = Objects.requireNonNull(trustManagerFactory, "trustManagerFactory");
        return this;
    }

    /** Trusts these certificates (a self-signed server's own, say), instead of the JVM's roots. */
    public SwitchboardClientBuilder trustedCertificates(X509Certificate... certificates) {
        this.trustedCertificates = certificates.clone();
        return this;
    }

    /** Accepts any server certificate and host name. For tests against self-signed servers only. */
    public SwitchboardClientBuilder insecure() {
        this.insecure = true;
        return this;
    }

    /**
     * A route dictionary kept from an earlier connection ({@link SwitchboardClient#routeDictionary()} and
     * {@link SwitchboardClient#routeDictionaryVersion()}). Its version goes in the handshake, and the client
     * uses it when the server, seeing the version, leaves the dictionary out of its answer.
     */
    public SwitchboardClientBuilder routeDictionary(String version, Map<String, Integer> routeToCode) {
        this.knownRoutes = new ClientSettings.KnownRoutes(version, routeToCode);
        return this;
    }

    /**
     * Reconnects by itself, and resumes the session, when the connection drops: see {@link SwitchboardClient} and
     * {@link ReconnectPolicy}. Off by default; {@code null} turns it off again.
     */
    public SwitchboardClientBuilder reconnect(ReconnectPolicy policy) {
        this.reconnect = policy;
        return this;
    }

    /** {@link #reconnect(ReconnectPolicy)} with {@link ReconnectPolicy#defaults()}. */
    public SwitchboardClientBuilder reconnect() {
        return reconnect(ReconnectPolicy.defaults());
    }

    public SwitchboardClient build() {
        ClientSettings settings = new ClientSettings(user, sys.deepCopy(), requestTimeout, connectTimeout,
                tickInterval, ticker, knownRoutes, maxBodyLength, maxPendingWriteBytes);
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        Dialer chosen = dialer != null ? dialer
                : scheme.startsWith("ws") ? WebSocketDialer.INSTANCE : TcpDialer.INSTANCE;
        SslContext ssl = DialContext.isSecure(target) && sslContext == null ? newSslContext() : sslContext;
        return new SwitchboardClient(target, settings, chosen, ssl, group, reconnect);
    }

    private SslContext newSslContext() {
        SslContextBuilder builder = SslContextBuilder.forClient();
        if (insecure) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            if (trustManagerFactory != null) {
                builder.trustManager(trustManagerFactory);
            } else if (trustedCertificates != null) {
                builder.trustManager(trustedCertificates);
            }
            builder.endpointIdentificationAlgorithm("HTTPS");
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for " + target, e);
        }
    }

    private static Duration positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return duration;
    }
}
