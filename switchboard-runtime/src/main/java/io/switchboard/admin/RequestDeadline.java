package io.switchboard.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.switchboard.common.time.Ticker;

import java.time.Duration;

/**
 * A request must arrive whole within a deadline (DESIGN §10), else it is answered 408 and the connection closed. An
 * idle timer does not bound a request, since every part of it restarts the timer: a body sent one byte every 50 s would
 * hold a connection for days. The clock starts at the read that brings the first bytes of a request (when one read ends
 * a request and starts the next, at the next read) and stops at its last content; the injected ticker measures it.
 * Between requests it does not run: that is the idle timer's. Put it right after the HTTP codec.
 */
public final class RequestDeadline extends ChannelInboundHandlerAdapter {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final TickerDeadline deadline;
    /** Whether the last message of the current read ended a request: then the read left nothing begun. */
    private boolean endedRequest;

    public RequestDeadline(Ticker ticker, Duration timeout, HttpRefusal refusal) {
        String message = "a request must arrive whole within " + TickerDeadline.say(timeout);
        this.deadline = new TickerDeadline(ticker, timeout,
                ctx -> refusal.closeWith(ctx, HttpResponseStatus.REQUEST_TIMEOUT, message));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            deadline.start(ctx);
        }
        endedRequest = msg instanceof LastHttpContent;
        if (endedRequest) {
            deadline.stop();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Bytes came that ended no request: the codec holds the start of one.
        if (!endedRequest) {
            deadline.start(ctx);
        }
        endedRequest = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.stop();
    }
}
