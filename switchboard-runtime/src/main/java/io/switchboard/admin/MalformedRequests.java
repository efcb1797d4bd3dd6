package io.switchboard.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers what the HTTP codec could not decode instead of passing it on (DESIGN §10): a request line over
 * {@value #MAX_REQUEST_LINE} bytes is 414, headers over {@value #MAX_HEADERS} bytes 431, anything else malformed 400,
 * each as the port's error with {@code Connection: close}, and the connection is closed. Passed on, such a request
 * looks valid (the codec fills in what it parsed, or {@code GET /bad-request}) and is answered as one, while the codec,
 * having given up on the connection, drops every later request on it unanswered. Put it right after the HTTP codec,
 * built with these limits.
 */
public final class MalformedRequests extends ChannelInboundHandlerAdapter {
    /** The longest request line an HTTP port takes: any path and query its API uses fits. */
    public static final int MAX_REQUEST_LINE = 4_096;
    /** The most header bytes an HTTP port takes. */
    public static final int MAX_HEADERS = 8_192;

    private final HttpRefusal refusal;
    private boolean refused;

    public MalformedRequests(HttpRefusal refusal) {
        this.refusal = refusal;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            // Nothing after a refused request is taken; the connection is closing.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HttpObject http) || http.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        refused = true;
        Throwable cause = http.decoderResult().cause();
        ReferenceCountUtil.release(msg);
        if (cause instanceof TooLongHttpLineException && msg instanceof HttpRequest) {
            refusal.closeWith(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    "the request line is longer than " + MAX_REQUEST_LINE + " bytes");
        } else if (cause instanceof TooLongHttpHeaderException) {
            refusal.closeWith(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "the request headers are larger than " + MAX_HEADERS + " bytes");
        } else {
            refusal.closeWith(ctx, HttpResponseStatus.BAD_REQUEST, "not a well-formed HTTP request");
        }
    }
}
