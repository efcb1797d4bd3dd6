package io.switchboard.gate;

import io.switchboard.api.OnlineUsers;
import io.switchboard.api.Session;
import io.switchboard.protocol.RouteDictionary;

import io.switchboard.api.errors.SessionErrors;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.internal.GateChannelInitializer;
import io.switchboard.gate.internal.GateContext;
import io.switchboard.gate.internal.NotFoundHttpFallback;
import io.switchboard.gate.internal.ParkedSessions;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gate server (seed 002's {@code Server}): one port for raw TCP and WebSocket clients of the Pomelo
 * protocol. Set the {@link Acceptor}, {@link MessageListener}, {@link StateListener} and {@link ChannelMap}
 * on the builder, {@link #start()}, {@link #push push} to sessions, {@link #close()} to shut down.
 */
public final class GateServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GateServer.class);

    private final GateConfig config;
    private final GateContext context;
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private volatile boolean closed;

    private GateServer(Builder b) {
        this.config = b.config;
        this.context = new GateContext(b.config, b.acceptor, b.messageListener, b.stateListener, b.channelMap,
                b.metrics, b.httpFallback, new AtomicLong(), new AtomicReference<>(),
                new AtomicReference<>(b.config.dictionary()),
                new ParkedSessions(b.config, b.channelMap, b.stateListener, b.metrics, b.otherGates));
    }

    /**
     * The users sessions bind through from now on ({@link Session#bind} then applies single login and the login
     * policy); without it a session binds on its own.
     */
    public void users(OnlineUsers users) {
        context.users().set(users);
    }

    /**
     * The route dictionary handshakes from now on get: a cluster gate's grows as nodes publish their routes. Sessions
     * keep the dictionary of their own handshake, so their codes never change under them.
     */
    public void dictionary(RouteDictionary dictionary) {
        context.dictionary().set(Objects.requireNonNull(dictionary, "dictionary"));
    }

    /** The route dictionary new handshakes get. */
    public RouteDictionary dictionary() {
        return context.dictionary().get();
    }

    public static Builder builder(GateConfig config) {
        return new Builder(config);
    }

    /** Binds the client port; throws when it cannot. */
    public synchronized GateServer start() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        bossGroup = Transports.newGroup(1, "switchboard-gate-accept");
        ioGroup = Transports.newGroup(config.ioThreads(), "switchboard-gate-io");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark()))
                .childHandler(new GateChannelInitializer(context));
        try {
            serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
            context.parked().start(ioGroup.next());
        } catch (Exception e) {
            shutdownGroups();
            throw e;
        }
        log.info("gate listening on {} ({}, {})", serverChannel.localAddress(), Transports.name(),
                config.sslContext() != null ? "TLS" : "plaintext");
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public GateConfig config() {
        return config;
    }

    public ChannelMap channels() {
        return context.channelMap();
    }

    public GateMetrics metrics() {
        return context.metrics();
    }

    /** How many sessions are parked now, waiting for their clients to resume them. */
    public int parkedSessions() {
        return context.parked().size();
    }

    /**
     * Ends, now, the session that resume token {@code token} resumes, parked or still on a (half-open) connection:
     * its client took the token to another gate ({@link OtherGates#release}). Nothing but that session's whole
     * current token does it; false when there is no such session or the token is not its current one.
     */
    public boolean releaseParked(String token) {
        return context.parked().release(token);
    }

    /** Pushes to one session; fails with {@link SessionErrors#NO_SUCH_SESSION} when it is gone. */
    public CompletableFuture<Void> push(long sessionId, String route, Object body) {
        GateSession session = context.channelMap().get(sessionId);
        if (session == null) {
            return CompletableFuture.failedFuture(new SwitchboardException(SessionErrors.NO_SUCH_SESSION,
                    "no session " + sessionId));
        }
        return session.push(route, body);
    }

    /** Kicks one session with a reason; false when there is no such session. */
    public boolean kick(long sessionId, String reason) {
        GateSession session = context.channelMap().get(sessionId);
        if (session == null) {
            return false;
        }
        session.kick(reason);
        return true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops accepting connections but keeps the open ones (the first step of draining). */
    public synchronized void stopAccepting() {
        if (serverChannel != null && serverChannel.isOpen()) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /** Stops accepting, kicks every session with "server shutdown" and releases the threads. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAccepting();
        context.parked().stop(KickReasons.SERVER_SHUTDOWN);
        for (GateSession session : context.channelMap().all()) {
            session.kick(KickReasons.SERVER_SHUTDOWN);
        }
        shutdownGroups();
        log.info("gate closed");
    }

    private void shutdownGroups() {
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Builds a {@link GateServer}. */
    public static final class Builder {
        private final GateConfig config;
        private Acceptor acceptor = Acceptor.ACCEPT_ALL;
        private MessageListener messageListener = (session, message) -> message.release();
        private StateListener stateListener = StateListener.NOOP;
        private ChannelMap channelMap = new ConcurrentChannelMap();
        private GateMetrics metrics = GateMetrics.noop();
        private HttpFallback httpFallback = NotFoundHttpFallback.INSTANCE;
        private OtherGates otherGates = OtherGates.NONE;

        private Builder(GateConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder acceptor(Acceptor acceptor) {
            this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
            return this;
        }

        public Builder messageListener(MessageListener listener) {
            this.messageListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder stateListener(StateListener listener) {
            this.stateListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder channelMap(ChannelMap channelMap) {
            this.channelMap = Objects.requireNonNull(channelMap, "channelMap");
            return this;
        }

        public Builder metrics(GateMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Answers plain HTTP requests on the client port (a web page); default 404. */
        public Builder httpFallback(HttpFallback fallback) {
            this.httpFallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /** The other gates of a cluster, for resume tokens brought to the wrong one; none by default. */
        public Builder otherGates(OtherGates others) {
            this.otherGates = Objects.requireNonNull(others, "others");
            return this;
        }

        public GateServer build() {
            return new GateServer(this);
        }
    }
}
