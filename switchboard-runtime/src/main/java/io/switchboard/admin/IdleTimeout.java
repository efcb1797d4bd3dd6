package io.switchboard.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection with no traffic either way for the timeout (DESIGN §10): a peer that connects and says nothing,
 * or stays between requests. A stream that sends on a timer (a watch) keeps its connection. It does not bound a request
 * that arrives slowly, since each part of it is traffic: that is {@link RequestDeadline}'s.
 */
public final class IdleTimeout extends IdleStateHandler {

    public IdleTimeout(Duration timeout) {
        super(0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        ctx.close();
    }
}
