package io.switchboard.daemon.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.runtime.ConnectionQuota;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * At most {@code maxTotal} connections open on the admin port, at most {@code maxPerAddress} from one address. A
 * connection over a cap is answered 503 with a JSON error before anything of its request is read, and closed.
 */
final class ConnectionCaps {
    private final ConnectionQuota quota;

    ConnectionCaps(int maxTotal, int maxPerAddress) {
        this.quota = new ConnectionQuota(maxTotal, maxPerAddress);
    }

    /** Why {@code channel} may not stay; {@code null} when it is counted and may. */
    String admit(Channel channel) {
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        String refused = quota.admit(address);
        if (refused != null) {
            return "the admin port has " + refused + ": retry later";
        }
        channel.closeFuture().addListener(closed -> quota.release(address));
        return null;
    }

    int open() {
        return quota.open();
    }

    /** Answers a refused connection once it is active (the response needs the codec in place). */
    static void refuse(ChannelHandlerContext ctx, String why) {
        ApiReplies.refuseAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, why);
    }
}
