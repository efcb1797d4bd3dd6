package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.switchboard.admin.HttpConnectionCaps;
import io.switchboard.admin.HttpPortLimits;
import io.switchboard.admin.IdleTimeout;
import io.switchboard.admin.MalformedRequests;
import io.switchboard.admin.RequestDeadline;
import io.switchboard.admin.WriteBackpressure;
import io.switchboard.common.time.Ticker;
import io.switchboard.daemon.machine.MachineControl;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's admin port (8889 on its IP): the admin API and the web console, as a {@link ProcessPart}. Bounded in
 * every way an unauthenticated peer could push (DESIGN §10): connections in total and per address (with all taken, a
 * newcomer closes the oldest connection that made no authenticated request), request line, headers and body sizes (a
 * request the codec cannot decode is answered 414, 431 or 400 and closed), the time a request may take to arrive whole,
 * answers waiting for a peer that does not read them, idle time, logins throttled per address and user, watch streams,
 * and a small queue of blocking work (globaldb reads, password hashing) beyond which calls are answered 503. With
 * {@link AdminApiConfig#tls()} it speaks HTTPS only: bytes that are not TLS end the connection unanswered, and a
 * handshake must be done within the request timeout of the connect.
 */
public final class AdminApiServer implements ProcessPart {
    private static final Logger log = LoggerFactory.getLogger(AdminApiServer.class);
    /** A login or a command line is a few hundred bytes; nothing the API takes is larger. */
    static final int MAX_BODY = 8_192;
    private static final int WORKERS = 2;
    private static final int WORK_QUEUE = 64;

    private final AdminApiConfig config;
    private final Ticker ticker;
    private final AdminApi api;
    private final HttpConnectionCaps caps;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private EventLoopGroup group;
    private Channel channel;

    /**
     * @param ticker time for logins' expiry, the login throttle and the deadlines of TLS handshakes, of requests and
     *               of peers that do not read; the watch refresh runs on a timer of its own
     */
    public AdminApiServer(AdminApiConfig config, CommandExecutor executor, GlobalDb globalDb, MachineControl machine,
                          Ticker ticker) {
        this.config = config;
        this.ticker = ticker;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORK_QUEUE), daemonThreads("switchboard-admin-api"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("switchboard-admin-watch"));
        HttpPortLimits limits = config.limits();
        // Evicting: strangers who fill the port close their own idle connections, never a logged-in operator's.
        this.caps = HttpConnectionCaps.evictingUnauthenticated("admin port", limits.maxConnections(),
                limits.maxConnectionsPerIp(), ticker, cap -> { }, () -> { });
        this.api = new AdminApi(executor, globalDb, machine, new LoginSessions(ticker, config.sessionTtl()),
                new LoginThrottle(ticker), new RequestGuard(config.host(), config.allowedHosts()),
                new WatchStreams(config.maxWatchers(), executor::worldView), new ConsoleAssets(), workers, caps);
    }

    @Override
    public void start(ProcessRuntime runtime) throws InterruptedException {
        start();
    }

    /**
     * Binds the port and starts the watch refresh.
     *
     * @throws IllegalStateException when the TLS files cannot be read or do not go together
     */
    public synchronized AdminApiServer start() throws InterruptedException {
        SslContext tls = tlsContext();
        group = Transports.newGroup(1, "switchboard-admin-api-io");
        try {
            channel = new ServerBootstrap().group(group).channel(Transports.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (!caps.admit(ch)) {
                                return;
                            }
                            HttpPortLimits limits = config.limits();
                            // After the caps: a connection over them is refused before any handshake is paid for.
                            if (tls != null) {
                                SslHandler handler = tls.newHandler(ch.alloc());
                                // The deadline on the injected ticker is the one that rules, not Netty's own timer.
                                handler.setHandshakeTimeoutMillis(0);
                                ch.pipeline().addLast(handler,
                                        new TlsHandshakeDeadline(ticker, limits.requestTimeout()));
                            }
                            ch.pipeline().addLast(new HttpServerCodec(MalformedRequests.MAX_REQUEST_LINE,
                                            MalformedRequests.MAX_HEADERS, MAX_BODY),
                                    new MalformedRequests(ApiReplies::refuseAndClose),
                                    new RequestDeadline(ticker, limits.requestTimeout(), ApiReplies::refuseAndClose),
                                    new WriteBackpressure(ticker, limits.stalledReaderTimeout()),
                                    new IdleTimeout(limits.idleTimeout()),
                                    new BodyCap(), new AdminApiHandler(api, tls != null));
                        }
                    })
                    .bind(config.host(), config.port()).sync().channel();
        } catch (Exception e) {
            close();
            throw e;
        }
        long period = config.watchPeriod().toMillis();
        timer.scheduleWithFixedDelay(this::refreshWatches, period, period, TimeUnit.MILLISECONDS);
        log.info("admin API and console on {}://{}", config.scheme(), address());
        return this;
    }

    private SslContext tlsContext() {
        if (config.tls().isEmpty()) {
            return null;
        }
        AdminTls tls = config.tls().get();
        try {
            return tls.serverContext();
        } catch (IllegalArgumentException | SSLException e) {
            throw new IllegalStateException("admin TLS from " + tls.certificateChain() + " and " + tls.privateKey()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Sends the world view to every watch stream now (the timer does so every watch period). */
    public void refreshWatches() {
        try {
            api.watches().refresh(token -> api.sessions().find(token).isPresent());
        } catch (RuntimeException e) {
            log.warn("watch refresh failed", e);
        }
    }

    /** The bound port; only while started. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** {@code host:port} as bound. */
    public String address() {
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        return local.getAddress().getHostAddress() + ":" + local.getPort();
    }

    /** Watch streams open now. */
    public int watchers() {
        return api.watches().size();
    }

    /** Connections open now. */
    public int connections() {
        return caps.open();
    }

    /** Connections closed so far to admit a newcomer while the port was full (none of them authenticated). */
    public long evicted() {
        return caps.evicted();
    }

    @Override
    public void health(ObjectNode health) {
        health.putObject("admin").put("address", channel == null ? "" : address())
                .put("connections", caps.open()).put("evicted", caps.evicted()).put("watchers", api.watches().size());
    }

    /** Stops serving; a second call does nothing. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        api.watches().closeAll();
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        workers.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The body cap: a request over {@link #MAX_BODY} is answered 413 with a JSON error and closed, unread. */
    private static final class BodyCap extends HttpObjectAggregator {
        BodyCap() {
            super(MAX_BODY);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // The aggregator releases the oversized message itself.
            ApiReplies.refuseAndClose(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "a request body is at most " + MAX_BODY + " bytes");
        }
    }
}
