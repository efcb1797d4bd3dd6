package io.switchboard.resource.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.common.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Answers {@code /v1} requests of one connection, on the manager's event loop: a registry write, a plain GET and the
 * topology page's files at once; a GET with
 * {@code ?index=N} at once when the view is past N, else parked in the {@link WatchHub} until it changes or the wait
 * ends. One request at a time per connection: another one while a watch waits is refused and the connection closed.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final long NO_INDEX = -1;

    private final ApiGuard guard;
    private final ApiRouter router;
    private final WatchHub hub;
    private final Ticker ticker;
    private final Duration maxWait;
    private final Sequence sequence;
    private final UiPage page;
    private Watch current;

    /** Numbers the watches of all connections, so two with the same deadline stay apart in the hub. */
    static final class Sequence {
        private long next;

        long next() {
            return next++;
        }
    }

    ApiHandler(ApiGuard guard, ApiRouter router, WatchHub hub, Ticker ticker, Duration maxWait, Sequence sequence,
               UiPage page) {
        this.guard = guard;
        this.router = router;
        this.hub = hub;
        this.ticker = ticker;
        this.maxWait = maxWait;
        this.sequence = sequence;
        this.page = page;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The connection's one close hook: a client that hangs up stops waiting. One per connection, not per watch,
        // so watches answered one after another on a keep-alive connection leave nothing behind on it.
        ctx.channel().closeFuture().addListener(closed -> {
            if (current != null) {
                hub.cancel(current);
                current = null;
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (current != null && current.waiting()) {
            ApiResponses.send(ctx, false, ApiAnswer.error(HttpResponseStatus.BAD_REQUEST,
                    "one request at a time: a watch is waiting on this connection"), NO_INDEX);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        try {
            ApiRefusal refused = guard.check(request);
            if (refused != null) {
                // Debug only: whoever reaches the port chooses what would be logged here.
                log.debug("/v1 {} {} refused: {}", request.method(), uri.path(), refused.getMessage());
                throw refused;
            }
            if (!HttpMethod.GET.equals(request.method())) {
                ApiResponses.send(ctx, keepAlive, router.write(request.method(), uri.path(), uri.parameters(),
                        request.content()));
                // Watches of the registry wake now, on the loop, before the next request.
                hub.changed();
                return;
            }
            if (page.owns(uri.path())) {
                page.serve(ctx, keepAlive, uri.path());
                return;
            }
            ApiQuery query = router.route(uri.path(), uri.parameters());
            WatchParams watch = WatchParams.parse(uri.parameters(), maxWait);
            if (watch.index() == null || query.index() > watch.index()) {
                ApiResponses.send(ctx, keepAlive, query);
                return;
            }
            Watch parked = new Watch(ctx, keepAlive, query, watch.index(), ticker.nanoTime() + watch.waitFor().toNanos(),
                    sequence.next());
            if (!hub.park(parked)) {
                ApiResponses.send(ctx, keepAlive, ApiAnswer.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "too many watches wait: retry later"), query.index());
                return;
            }
            current = parked;
        } catch (ApiRefusal refusal) {
            ApiResponses.send(ctx, keepAlive, refusal.answer(), NO_INDEX);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("/v1 connection error", cause);
        ctx.close();
    }
}
