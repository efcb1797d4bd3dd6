package io.switchboard.gate.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.gate.HttpFallback;
import io.switchboard.gate.HttpFallback.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Asks an {@link HttpFallback} about a plain HTTP request and writes its answer: the request as a plain record (the
 * Netty request is released first), the answer with its length, no body for {@code HEAD}, and the connection closed
 * once it is written. A URI that does not decode is answered 400 without asking the fallback.
 */
final class PlainHttpAnswers {
    private static final Logger log = LoggerFactory.getLogger(PlainHttpAnswers.class);
    private static final Answer FAILED = Answer.text(500, "the server could not answer this request\n");
    private static final Answer BAD_URI = Answer.text(400, "the request URI does not decode\n");

    private PlainHttpAnswers() {
    }

    /** Takes ownership of {@code request}. */
    static void answer(ChannelHandlerContext ctx, FullHttpRequest request, HttpFallback fallback) {
        HttpFallback.Request asked;
        boolean head = HttpMethod.HEAD.equals(request.method());
        HttpVersion version = request.protocolVersion();
        try {
            asked = asked(request);
        } finally {
            request.release();
        }
        Answer answer;
        if (asked == null) {
            answer = BAD_URI;
        } else {
            try {
                answer = fallback.handle(asked);
            } catch (RuntimeException e) {
                log.warn("the HTTP fallback failed on {} {}", asked.method(), asked.path(), e);
                answer = FAILED;
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(version,
                HttpResponseStatus.valueOf(answer.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        answer.headers().forEach(response.headers()::set);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        CloseReason.set(ctx.channel(), "plain HTTP request");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** The request as the fallback sees it; {@code null} when its URI does not decode (a bad percent escape). */
    private static HttpFallback.Request asked(FullHttpRequest request) {
        String path;
        try {
            path = new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        return new HttpFallback.Request(request.method().name(), request.uri(), path, headers);
    }
}
