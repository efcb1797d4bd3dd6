package io.switchboard.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.common.log.LogWindow;
import io.switchboard.common.time.Ticker;
import io.switchboard.runtime.ConnectionQuota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The connection caps of an HTTP port, in all and per peer address. {@link #admit} runs first for each new
 * connection: one over a cap is answered 503 ({@code Retry-After: 1}, a JSON error) before anything of its request is
 * read or decoded, and closed; an admitted one is counted until it closes. Whoever connects decides how often
 * refusals happen, so they are logged at most once per {@link #LOG_EVERY} (with how many were held back) and passed to
 * the port's counter by {@link ConnectionQuota.Cap}, a fixed set of tags.
 */
public final class HttpConnectionCaps {
    private static final Logger log = LoggerFactory.getLogger(HttpConnectionCaps.class);
    public static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final String port;
    private final ConnectionQuota quota;
    private final LogWindow refusalLog;
    private final Consumer<ConnectionQuota.Cap> onRefused;

    /**
     * @param port      the port's name in the refusal's message and log line
     * @param onRefused told the cap of each refusal, on the connection's event loop
     */
    public HttpConnectionCaps(String port, int maxTotal, int maxPerAddress, Ticker ticker,
                              Consumer<ConnectionQuota.Cap> onRefused) {
        this.port = Objects.requireNonNull(port, "port");
        this.quota = new ConnectionQuota(maxTotal, maxPerAddress);
        this.refusalLog = new LogWindow(ticker, LOG_EVERY);
        this.onRefused = Objects.requireNonNull(onRefused, "onRefused");
    }

    /**
     * Counts the new connection {@code channel} until it closes and returns {@code true}; or, over a cap, sets its
     * pipeline to answer 503 once active and close, and returns {@code false}: then add nothing else to it.
     */
    public boolean admit(Channel channel) {
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        ConnectionQuota.Refusal refused = quota.admit(address);
        if (refused == null) {
            channel.closeFuture().addListener(closed -> quota.release(address));
            return true;
        }
        onRefused.accept(refused.cap());
        String message = "the " + port + " has " + refused.reason() + ": retry later";
        long heldBack = refusalLog.admit();
        if (heldBack >= 0) {
            log.warn("{} connection from {} refused: {}{}", port, channel.remoteAddress(), message,
                    LogWindow.heldBackNote(heldBack));
        }
        channel.pipeline().addLast(new HttpResponseEncoder(), new Refuse(message));
        return false;
    }

    /** Connections counted now. */
    public int open() {
        return quota.open();
    }

    /** Answers a connection over a cap once it is active; nothing it sends is read. */
    private static final class Refuse extends ChannelInboundHandlerAdapter {
        private final String message;

        Refuse(String message) {
            this.message = message;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            FullHttpResponse response = HttpRefusal.jsonResponse(HttpResponseStatus.SERVICE_UNAVAILABLE, message);
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
