package io.switchboard.gate.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.switchboard.gate.KickReasons;
import io.switchboard.protocol.PomeloProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last handler of every connection: whatever went wrong ends this one connection, with a reason,
 * and never the server. Protocol violations are logged in one line; surprises with their stack trace.
 */
@ChannelHandler.Sharable
final class GateExceptionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GateExceptionHandler.class);
    private final GateContext gate;

    GateExceptionHandler(GateContext gate) {
        this.gate = gate;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        PomeloProtocolException protocol = find(cause, PomeloProtocolException.class);
        if (protocol != null) {
            gate.metrics().protocolError();
            log.info("closing {}: {}", ctx.channel().remoteAddress(), protocol.reason());
            Kicks.kick(ctx.channel(), protocol.reason(), gate.metrics());
        } else if (find(cause, TooLongFrameException.class) != null
                || find(cause, CorruptedFrameException.class) != null) {
            gate.metrics().protocolError();
            String reason = "bad frame: " + rootMessage(cause);
            log.info("closing {}: {}", ctx.channel().remoteAddress(), reason);
            Kicks.kick(ctx.channel(), reason, gate.metrics());
        } else if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // The latter: an aggregator (HTTP request, fragmented WebSocket message) saw the client leave mid-message.
            log.debug("I/O error on {}: {}", ctx.channel().remoteAddress(), cause.toString());
            Kicks.close(ctx.channel(), "I/O error: " + cause.getMessage());
        } else if (cause instanceof DecoderException && cause.getCause() instanceof IOException) {
            Kicks.close(ctx.channel(), "I/O error: " + cause.getCause().getMessage());
        } else {
            log.warn("unexpected error on {}; closing it", ctx.channel().remoteAddress(), cause);
            Kicks.kick(ctx.channel(), KickReasons.INTERNAL_ERROR, gate.metrics());
        }
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
