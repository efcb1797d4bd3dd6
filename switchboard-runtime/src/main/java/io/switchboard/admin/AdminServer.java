package io.switchboard.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.common.time.Ticker;
import io.switchboard.runtime.ConnectionQuota;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP server for operators: routes by method and path, loopback-only unless told otherwise. The port holds
 * so many connections, in all and per address ({@link HttpConnectionCaps}), and each connection is bounded (DESIGN
 * §10): a request must be well-formed ({@link MalformedRequests}) and arrive whole within the request timeout
 * ({@link RequestDeadline}), answers wait for a peer that does not read them only so long ({@link WriteBackpressure}),
 * and a connection with no traffic for the idle timeout is closed ({@link IdleTimeout}); all as its
 * {@link HttpPortLimits} say.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final int MAX_CHUNK = 8 * 1024;

    private final String host;
    private final int port;
    private final Map<String, AdminRoute> routes = new ConcurrentHashMap<>();
    /** Every open connection, for {@link #connections()}. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    private Channel channel;

    private volatile AdminGuard guard;
    private Ticker ticker = Ticker.system();
    private HttpPortLimits limits = HttpPortLimits.ADMIN_DEFAULTS;
    private MeterRegistry meters = new SimpleMeterRegistry();
    private HttpConnectionCaps caps;

    /** An admin server with state-changing calls off (no token) and its own host names only. */
    public AdminServer(String host, int port) {
        this.host = host;
        this.port = port;
        this.guard = new AdminGuard(null, host);
    }

    /** Who may call which route; see {@link AdminGuard}. */
    public AdminServer guard(AdminGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
        return this;
    }

    /** The time the deadlines of requests and of peers that do not read are measured on; tests pass a manual one. */
    public synchronized AdminServer ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /** The port's connection caps and deadlines; {@link HttpPortLimits#ADMIN_DEFAULTS} unless set. */
    public synchronized AdminServer limits(HttpPortLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** Where connections refused over a cap are counted ({@code switchboard.admin.refused}, tagged by cap). */
    public synchronized AdminServer meters(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        return this;
    }

    /** Adds a route for {@code method} and exact {@code path}. */
    public AdminServer route(HttpMethod method, String path, AdminRoute route) {
        routes.put(method.name() + " " + path, route);
        return this;
    }

    public synchronized AdminServer start() throws InterruptedException {
        Ticker ticker = this.ticker;
        HttpPortLimits limits = this.limits;
        Map<ConnectionQuota.Cap, Counter> refused = new EnumMap<>(ConnectionQuota.Cap.class);
        for (ConnectionQuota.Cap cap : ConnectionQuota.Cap.values()) {
            refused.put(cap, Counter.builder("switchboard.admin.refused").tag("cap", cap.tag())
                    .description("Admin HTTP connections refused over a connection cap").register(meters));
        }
        HttpConnectionCaps caps = new HttpConnectionCaps("admin port", limits.maxConnections(),
                limits.maxConnectionsPerIp(), ticker, cap -> refused.get(cap).increment());
        this.caps = caps;
        group = Transports.newGroup(1, "switchboard-admin");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (!caps.admit(ch)) {
                            return;
                        }
                        HttpRefusal refusal = HttpRefusal.json();
                        ch.pipeline().addLast(new HttpServerCodec(MalformedRequests.MAX_REQUEST_LINE,
                                        MalformedRequests.MAX_HEADERS, MAX_CHUNK),
                                new MalformedRequests(refusal),
                                new RequestDeadline(ticker, limits.requestTimeout(), refusal),
                                new WriteBackpressure(ticker, limits.stalledReaderTimeout()),
                                new IdleTimeout(limits.idleTimeout()),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES), new Router());
                    }
                });
        try {
            channel = bootstrap.bind(host, port).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        log.info("admin HTTP on {}", channel.localAddress());
        return this;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Connections open now, refused ones that have not closed yet among them. */
    public int connections() {
        return connections.size();
    }

    /** Connections open now under the caps (refused ones not counted); 0 before {@link #start}. */
    public synchronized int admitted() {
        return caps == null ? 0 : caps.open();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            AdminRoute route = routes.get(request.method().name() + " " + path);
            AdminResponse response = guard.check(request);
            if (response != null) {
                // Debug only: whoever reaches the port chooses what would be logged here.
                log.debug("admin {} {} refused: {}", request.method(), path, response.status());
            } else if (route == null) {
                boolean pathKnown = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + path));
                response = pathKnown
                        ? AdminResponse.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n")
                        : AdminResponse.text(HttpResponseStatus.NOT_FOUND, "no such admin path: " + path + "\n");
            } else {
                try {
                    response = route.handle(request);
                } catch (Exception e) {
                    log.warn("admin route {} failed", path, e);
                    response = AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
                }
            }
            FullHttpResponse http = new DefaultFullHttpResponse(request.protocolVersion(), response.status(),
                    Unpooled.wrappedBuffer(response.body()));
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
            http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(http, keepAlive);
            var future = ctx.writeAndFlush(http);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("admin connection error", cause);
            ctx.close();
        }
    }
}
