package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackageEncoder;

import java.nio.charset.StandardCharsets;

/** Ends a connection with a kick package that tells the client why, then closes it. */
public final class Kicks {
    private Kicks() {
    }

    /**
     * Sends {@code {"reason":..}} in a kick package and closes. The write and the close are queued in order
     * on the channel's event loop, so the kick goes out first when the socket can take it; a client whose
     * outbound buffer is already full is closed without one.
     */
    public static void kick(Channel channel, String reason, GateMetrics metrics) {
        if (!channel.isOpen()) {
            return;
        }
        CloseReason.set(channel, reason);
        metrics.kicked(reason);
        if (channel.isWritable()) {
            channel.writeAndFlush(encode(reason));
        }
        channel.close();
    }

    /** Closes without a kick package, remembering the reason. */
    public static void close(Channel channel, String reason) {
        CloseReason.set(channel, reason);
        channel.close();
    }

    static ByteBuf encode(String reason) {
        byte[] body = Json.kickBody(reason).getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer(io.switchboard.protocol.PackageHeader.HEADER_LENGTH + body.length);
        PomeloPackageEncoder.writeHeader(buf, PackageType.KICK, body.length);
        buf.writeBytes(body);
        return buf;
    }
}
