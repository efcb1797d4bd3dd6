package io.switchboard.gate.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.gate.HttpFallback;
import io.switchboard.gate.HttpFallback.Answer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A fallback sees a plain record of the request and answers with one; the gate writes it and closes. */
class PlainHttpAnswersTest {

    @Test
    void theFallbackSeesTheRequestAsARecordAndItsAnswerGoesOutWithItsLengthThenTheConnectionCloses() {
        AtomicReference<HttpFallback.Request> seen = new AtomicReference<>();
        EmbeddedChannel channel = channel(request -> {
            seen.set(request);
            return Answer.text(200, "hello\n").withHeader("X-Test", "yes");
        });
        FullHttpRequest request = request(HttpMethod.GET, "/a%20b/c?x=1");
        request.headers().set("X-Forwarded-For", "192.0.2.1");

        channel.writeInbound(request);

        assertThat(seen.get().method()).isEqualTo("GET");
        assertThat(seen.get().uri()).isEqualTo("/a%20b/c?x=1");
        assertThat(seen.get().path()).isEqualTo("/a b/c");
        assertThat(seen.get().header("x-forwarded-for")).isEqualTo("192.0.2.1");
        assertThat(request.refCnt()).as("the request was released").isZero();
        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("6");
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; charset=utf-8");
            assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
            assertThat(response.headers().get("X-Test")).isEqualTo("yes");
        } finally {
            response.release();
        }
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHeadRequestGetsTheLengthWithoutTheBody() {
        EmbeddedChannel channel = channel(request -> Answer.text(200, "hello\n"));

        channel.writeInbound(request(HttpMethod.HEAD, "/"));

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.content().readableBytes()).isZero();
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("6");
        } finally {
            response.release();
        }
    }

    @Test
    void aFallbackThatThrowsIsAnsweredWith500AndTheGateCarriesOn() {
        EmbeddedChannel channel = channel(request -> {
            throw new IllegalStateException("broken page");
        });
        FullHttpRequest request = request(HttpMethod.GET, "/");

        channel.writeInbound(request);

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(500);
        } finally {
            response.release();
        }
        assertThat(request.refCnt()).isZero();
        assertThat(channel.isOpen()).isFalse();
        channel.checkException(); // nothing reached the pipeline's end
    }

    @Test
    void aUriWithABadPercentEscapeIsAnswered400WithoutAskingTheFallback() {
        AtomicReference<HttpFallback.Request> seen = new AtomicReference<>();
        EmbeddedChannel channel = channel(request -> {
            seen.set(request);
            return Answer.text(200, "hello\n");
        });
        FullHttpRequest request = request(HttpMethod.GET, "/ind%ex.html");

        channel.writeInbound(request);

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status().code()).isEqualTo(400);
        } finally {
            response.release();
        }
        assertThat(seen.get()).isNull();
        assertThat(request.refCnt()).isZero();
        assertThat(channel.isOpen()).isFalse();
        channel.checkException();
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.buffer().writeByte('x'));
    }

    private static EmbeddedChannel channel(HttpFallback fallback) {
        return new EmbeddedChannel(new SimpleChannelInboundHandler<FullHttpRequest>(false) {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                PlainHttpAnswers.answer(ctx, request, fallback);
            }
        });
    }
}
