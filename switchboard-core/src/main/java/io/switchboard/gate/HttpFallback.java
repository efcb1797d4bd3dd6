package io.switchboard.gate;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Answers plain HTTP requests that reach the client port without asking for a WebSocket upgrade
 * (a web page served by the gate, for example). Owns {@code request} and must release it.
 */
@FunctionalInterface
public interface HttpFallback {
    void handle(ChannelHandlerContext ctx, FullHttpRequest request);
}
