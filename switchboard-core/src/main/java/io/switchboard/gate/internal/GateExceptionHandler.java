package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.protocol.BodyTooLargeException;
import io.switchboard.protocol.CompressionNotNegotiatedException;
import io.switchboard.protocol.HandshakeTooLargeException;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.domi.DomiFrameTooLargeException;
import io.switchboard.protocol.domi.DomiProtocolException;
import io.switchboard.protocol.kim.KimLoginTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last handler of every connection: whatever went wrong ends this one connection, with a reason,
 * and never the server. Protocol violations are logged in one line; surprises with their stack trace; both at most
 * once per {@link KickCode} per {@link KickLog#INTERVAL}.
 */
@ChannelHandler.Sharable
final class GateExceptionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GateExceptionHandler.class);
    private final GateContext gate;
    private final KickLog kickLog;

    GateExceptionHandler(GateContext gate) {
        this.gate = gate;
        this.kickLog = new KickLog(log, gate.config().ticker());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        PomeloProtocolException protocol = find(cause, PomeloProtocolException.class);
        DomiProtocolException domi = find(cause, DomiProtocolException.class);
        if (protocol != null) {
            refuse(ctx.channel(), codeOf(protocol), protocol.reason());
        } else if (domi != null) {
            refuse(ctx.channel(), codeOf(domi), domi.reason());
        } else if (find(cause, KimLoginTooLargeException.class) != null) {
            refuse(ctx.channel(), KickCode.HANDSHAKE_TOO_LARGE, rootMessage(cause));
        } else if (find(cause, TooLongFrameException.class) != null
                || find(cause, CorruptedFrameException.class) != null) {
            refuse(ctx.channel(), KickCode.BAD_FRAME, "bad frame: " + rootMessage(cause));
        } else if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // The latter: an aggregator (HTTP request, fragmented WebSocket message) saw the client leave mid-message.
            log.debug("I/O error on {}: {}", ctx.channel().remoteAddress(), cause.toString());
            dropped(ctx.channel(), cause);
        } else if (cause instanceof DecoderException && cause.getCause() instanceof IOException) {
            dropped(ctx.channel(), cause.getCause());
        } else {
            kickLog.warn(KickCode.INTERNAL_ERROR, ctx.channel(), "unexpected error", cause);
            Kicks.kick(ctx.channel(), KickCode.INTERNAL_ERROR, KickReasons.INTERNAL_ERROR, gate.metrics());
        }
    }

    /** A reset or similar: the client is gone, and its session may be resumed. */
    private static void dropped(Channel channel, Throwable cause) {
        CloseReason.setDropped(channel, "I/O error: " + cause.getMessage());
        channel.close();
    }

    private void refuse(Channel channel, KickCode code, String reason) {
        gate.metrics().protocolError();
        kickLog.info(code, channel, reason);
        Kicks.kick(channel, code, reason, gate.metrics());
    }

    private static KickCode codeOf(PomeloProtocolException e) {
        if (e instanceof HandshakeTooLargeException) {
            return KickCode.HANDSHAKE_TOO_LARGE;
        }
        if (e instanceof CompressionNotNegotiatedException) {
            return KickCode.COMPRESSION_NOT_NEGOTIATED;
        }
        return e instanceof BodyTooLargeException ? KickCode.BODY_TOO_LARGE : KickCode.BAD_PACKAGE;
    }

    private static KickCode codeOf(DomiProtocolException e) {
        if (e instanceof DomiFrameTooLargeException large) {
            return large.beforeAccepted() ? KickCode.HANDSHAKE_TOO_LARGE : KickCode.BODY_TOO_LARGE;
        }
        return KickCode.BAD_PACKAGE;
    }

    private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
