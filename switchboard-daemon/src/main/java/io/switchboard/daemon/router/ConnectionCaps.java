package io.switchboard.daemon.router;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Admits connections under the router's caps, in all and per peer address, before anything else runs for them; one
 * over a cap is refused with the reason. Shared by every connection of the router's one event loop.
 */
@Sharable
final class ConnectionCaps extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf(ConnectionCaps.class, "admitted");
    private final int maxTotal;
    private final int maxPerAddress;
    private final Refusals refusals;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionCaps(RouterSettings settings, Refusals refusals) {
        this.maxTotal = settings.maxConnections();
        this.maxPerAddress = settings.maxPerAddress();
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = address(ctx);
        if (total >= maxTotal) {
            refusals.refuse(ctx.channel(), RouterRefusal.CONNECTION_LIMIT, "the router has " + maxTotal
                    + " connections open");
            return;
        }
        if (address != null && perAddress.getOrDefault(address, 0) >= maxPerAddress) {
            refusals.refuse(ctx.channel(), RouterRefusal.CONNECTION_LIMIT, "the router has " + maxPerAddress
                    + " connections open from " + address.getHostAddress());
            return;
        }
        total++;
        if (address != null) {
            perAddress.merge(address, 1, Integer::sum);
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
            total--;
            InetAddress address = address(ctx);
            if (address != null) {
                perAddress.computeIfPresent(address, (a, open) -> open == 1 ? null : open - 1);
            }
        }
        ctx.fireChannelInactive();
    }

    private static InetAddress address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
