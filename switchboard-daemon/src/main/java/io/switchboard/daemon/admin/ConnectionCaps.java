package io.switchboard.daemon.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code maxTotal} connections open on the admin port, at most {@code maxPerAddress} from one address. A
 * connection over a cap is answered 503 with a JSON error before anything of its request is read, and closed.
 */
final class ConnectionCaps {
    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int open;

    ConnectionCaps(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Why {@code channel} may not stay; {@code null} when it is counted and may. */
    synchronized String admit(Channel channel) {
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        if (open >= maxTotal) {
            return "the admin port has " + maxTotal + " connections open: retry later";
        }
        if (address != null && perAddress.getOrDefault(address, 0) >= maxPerAddress) {
            return "this address has " + maxPerAddress + " connections open to the admin port";
        }
        open++;
        if (address != null) {
            perAddress.merge(address, 1, Integer::sum);
        }
        channel.closeFuture().addListener(closed -> release(address));
        return null;
    }

    synchronized int open() {
        return open;
    }

    private synchronized void release(InetAddress address) {
        open--;
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Answers a refused connection once it is active (the response needs the codec in place). */
    static void refuse(ChannelHandlerContext ctx, String why) {
        ApiReplies.refuseAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, why);
    }
}
