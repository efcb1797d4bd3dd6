package io.switchboard.daemon.router;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.runtime.ConnectionQuota;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Admits connections under the router's caps, in all and per peer address, before anything else runs for them; one
 * over a cap is refused with the reason. Shared by every connection of the router's one event loop.
 */
@Sharable
final class ConnectionCaps extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf(ConnectionCaps.class, "admitted");
    private final ConnectionQuota quota;
    private final Refusals refusals;

    ConnectionCaps(RouterSettings settings, Refusals refusals) {
        this.quota = new ConnectionQuota(settings.maxConnections(), settings.maxPerAddress());
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ConnectionQuota.Refusal refused = quota.admit(address(ctx));
        if (refused != null) {
            refusals.refuse(ctx.channel(), RouterRefusal.CONNECTION_LIMIT, "the router has " + refused.reason());
            return;
        }
        ctx.channel().attr(ADMITTED).set(true);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ctx.channel().hasAttr(ADMITTED) && ctx.channel().attr(ADMITTED).get() != null) {
            ctx.fireChannelRead(msg);
        } else {
            // Refused and closing: nothing it sent is read.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel().attr(ADMITTED).getAndSet(null) != null) {
            quota.release(address(ctx));
        }
        ctx.fireChannelInactive();
    }

    private static InetAddress address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
