package io.switchboard.cluster.internal;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.EncoderException;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sends from other threads queue up and leave in one write task with one flush, in order; a dead link fails them. */
class LinkTest {
    private final EventLoopGroup group = new DefaultEventLoopGroup(2);
    private final AtomicInteger flushes = new AtomicInteger();
    private final List<Long> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void sendsFromOtherThreadsShareOneFlushAndKeepTheirOrder() throws Exception {
        Link link = new Link(connect(), 2, "demo");
        CountDownLatch release = new CountDownLatch(1);
        link.channel().eventLoop().execute(() -> awaitQuietly(release)); // the loop is busy while the sends queue up

        for (long id = 1; id <= 100; id++) {
            link.send(request(id));
        }
        ChannelFuture tracked = link.sendTracked(request(101));
        release.countDown();

        tracked.sync();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 101);
        assertThat(received).as("in order").isSortedAccordingTo(Long::compare);
        assertThat(flushes.get()).as("one flush for the whole burst").isEqualTo(1);
    }

    @Test
    void aClosedLinkFailsWhatWaitsOnIt() throws Exception {
        Link link = new Link(connect(), 2, "demo");
        link.channel().close().sync();

        ChannelFuture tracked = link.sendTracked(request(1));
        var confirmed = link.sendConfirmed(request(2));

        await().atMost(Duration.ofSeconds(10)).until(() -> tracked.isDone() && confirmed.isDone());
        assertThat(tracked.cause()).isInstanceOf(ClosedChannelException.class);
        assertThat(confirmed).isCompletedExceptionally();
        assertThat(received).isEmpty();
    }

    @Test
    void anEnvelopeTooLargeForAFrameIsRefusedAloneAndTheLinkCarriesOn() throws Exception {
        Link link = new Link(connect(), 2, "demo");
        Envelope tooLarge = Envelopes.builder(Kind.REQUEST).requestId(1).route("demo.echo.say")
                .payload(ByteString.copyFrom(new byte[Envelopes.MAX_SERIALIZED_SIZE])).build();

        link.send(tooLarge);
        ChannelFuture tracked = link.sendTracked(tooLarge);
        link.send(request(2));

        assertThat(tracked.await().cause()).isInstanceOf(EncoderException.class)
                .hasMessageContaining("larger than a link frame carries");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(2L));
        assertThat(received).containsExactly(2L);
        assertThat(link.isActive()).isTrue();
    }

    private static Envelope request(long id) {
        return Envelopes.builder(Kind.REQUEST).requestId(id).route("demo.echo.say").build();
    }

    /** A local channel whose far end records the request ids; this end counts its flushes. */
    private Channel connect() throws InterruptedException {
        LocalAddress address = new LocalAddress("link-test-" + System.nanoTime());
        new ServerBootstrap().group(group).channel(LocalServerChannel.class).childHandler(
                new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                received.add(Envelopes.requestId((Envelope) msg));
                            }
                        });
                    }
                }).bind(address).sync();
        return new Bootstrap().group(group).channel(LocalChannel.class).handler(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        }).connect(address).sync().channel();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
