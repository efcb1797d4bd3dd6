package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.switchboard.gate.KickCode;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackageEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Ends connections: with a kick package that tells the client why, or without one; each ending the gate decides is
 * counted under its {@link KickCode}, while the reason text (which may carry details) goes to the client and the
 * session's close listeners only.
 */
public final class Kicks {
    private Kicks() {
    }

    /**
     * Sends {@code {"reason":..}} in a kick package and closes. The write and the close are queued in order
     * on the channel's event loop, so the kick goes out first when the socket can take it; a client whose
     * outbound buffer is already full is closed without one.
     */
    public static void kick(Channel channel, KickCode code, String reason, GateMetrics metrics) {
        if (!channel.isOpen()) {
            return;
        }
        CloseReason.set(channel, reason);
        metrics.kicked(code);
        if (channel.isWritable()) {
            channel.writeAndFlush(encode(reason));
        }
        channel.close();
    }

    /** A kick asked for with a free-text reason (by an application or a service node); see {@link KickCode#ofReason}. */
    public static void kick(Channel channel, String reason, GateMetrics metrics) {
        kick(channel, KickCode.ofReason(reason), reason, metrics);
    }

    /** Closes without a kick package (none can or should go out), counting it under {@code code}. */
    public static void close(Channel channel, KickCode code, String reason, GateMetrics metrics) {
        if (!channel.isOpen()) {
            return;
        }
        metrics.kicked(code);
        close(channel, reason);
    }

    /** Closes without a kick package, remembering the reason; not counted as a kick (the client or the app ended it). */
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
