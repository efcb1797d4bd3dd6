package io.switchboard.resource.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.resource.probe.Prober;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Parked watches on one keep-alive connection: answered ones leave nothing behind, a hang-up drops the parked one. */
class WatchHubTest {
    private static final ApiQuery UNCHANGED = ApiQuery.of(() -> 0,
            () -> ApiAnswer.ok(JsonNodeFactory.instance.objectNode()));

    private final ManualTicker ticker = new ManualTicker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WatchHub hub = new WatchHub(10, meters);
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void watchesAnsweredOneAfterAnotherOnOneConnectionAreNotRetained() {
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext ctx = channel.pipeline().firstContext();
        List<WeakReference<Watch>> answered = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Watch watch = new Watch(ctx, true, UNCHANGED, 0, ticker.nanoTime() + 1, i);
            assertThat(hub.park(watch)).isTrue();
            ticker.advance(Duration.ofNanos(1));
            hub.expire(ticker.nanoTime());
            assertThat(watch.waiting()).isFalse();
            release(channel.readOutbound());
            answered.add(new WeakReference<>(watch));
        }

        assertThat(hub.size()).isZero();
        // The connection is still open: nothing it holds (a close listener, say) may keep an answered watch alive.
        assertThat(channel.isOpen()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return answered.stream().noneMatch(watch -> watch.get() != null);
        });
    }

    @Test
    void aConnectionThatHangsUpStopsWaitingAndAnAnsweredOneCanParkAgain() {
        Prober prober = new Prober(channel.eventLoop(), ticker, meters, (endpoint, from, to) -> { });
        Catalog catalog = new Catalog(prober);
        channel.pipeline().addLast(new ApiHandler(new ApiGuard("127.0.0.1", List.of(), null),
                new ApiRouter(catalog, new Registrations(catalog)), hub, ticker, Duration.ofMinutes(5),
                new ApiHandler.Sequence(), new UiPage()));

        for (int i = 0; i < 3; i++) {
            channel.writeInbound(watch("/v1/status?index=1000&wait=1s"));
            assertThat(hub.size()).isEqualTo(1);
            ticker.advance(Duration.ofSeconds(1));
            hub.expire(ticker.nanoTime());
            assertThat(hub.size()).isZero();
            FullHttpResponse response = channel.readOutbound();
            assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
            release(response);
        }
        channel.writeInbound(watch("/v1/status?index=1000&wait=60s"));
        assertThat(hub.size()).isEqualTo(1);

        channel.close();
        assertThat(hub.size()).isZero();
        assertThat(Optional.ofNullable(channel.readOutbound())).as("nothing answered on a closed connection").isEmpty();
        prober.close();
    }

    private static FullHttpRequest watch(String uri) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
        return request;
    }

    private static void release(Object message) {
        assertThat(message).isNotNull();
        ReferenceCountUtil.release(message);
    }
}
