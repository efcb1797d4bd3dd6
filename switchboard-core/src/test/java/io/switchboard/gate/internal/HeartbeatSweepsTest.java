package io.switchboard.gate.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.gate.KickCode;
import io.switchboard.metrics.GateMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many connections on one event loop, checked by one sweep: real local channels share a loop, the sweep's timer runs on
 * it, and the heartbeat clock is a manual ticker.
 */
class HeartbeatSweepsTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = HEARTBEAT.multipliedBy(2);
    private static final int CLIENTS = 40;

    private final EventLoopGroup loop = new DefaultEventLoopGroup(1);
    private final ManualTicker ticker = new ManualTicker();
    private final GateMetrics metrics = new GateMetrics(new SimpleMeterRegistry());
    private final HeartbeatSweeps sweeps = new HeartbeatSweeps(ticker, HEARTBEAT, Duration.ofMillis(5), metrics);
    private final Queue<Channel> established = new ConcurrentLinkedQueue<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<Channel> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void connectClients() {
        LocalAddress address = new LocalAddress(java.util.UUID.randomUUID().toString());
        new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HeartbeatHandler(sweeps), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.pipeline().fireUserEventTriggered(GateEvents.ESTABLISHED);
                                established.add(ctx.channel());
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                reads.incrementAndGet();
                            }
                        });
                    }
                }).bind(address).syncUninterruptibly();
        Bootstrap client = new Bootstrap().group(loop).channel(LocalChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg); // the first heartbeat and the kicks
                            }
                        });
                    }
                });
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(client.connect(address).syncUninterruptibly().channel());
        }
        await().until(() -> established.size() == CLIENTS);
    }

    @Test
    void oneSweepKicksTheSilentAndSparesTheOnesThatSpoke() {
        connectClients();
        assertThat(sweeps.loops()).as("sweeps running: one per event loop, not one per connection").isEqualTo(1);

        ticker.advance(TIMEOUT); // exactly the timeout: nobody is late yet
        for (int i = 0; i < CLIENTS; i += 2) {
            clients.get(i).writeAndFlush("still here");
        }
        await().until(() -> reads.get() == CLIENTS / 2);
        ticker.advance(Duration.ofMillis(1));

        await().until(() -> metrics.kicks(KickCode.HEARTBEAT_TIMEOUT) == CLIENTS / 2);
        // The sweep that kicked the silent half walked the whole list, so the others were checked and spared.
        for (int i = 0; i < CLIENTS; i++) {
            assertThat(clients.get(i).isActive()).as("client %d", i).isEqualTo(i % 2 == 0);
        }
        assertThat(sweeps.loops()).isEqualTo(1);

        clients.forEach(Channel::close);
        await().until(() -> established.stream().noneMatch(Channel::isActive));
        await().until(() -> sweeps.loops() == 0);
    }

    @Test
    void connectionsThatCloseMidListLeaveTheRestChecked() {
        connectClients();
        // Close every third: they leave the middle, the head and the end of the list.
        List<Channel> servers = new ArrayList<>(established);
        for (int i = 0; i < servers.size(); i += 3) {
            servers.get(i).close().syncUninterruptibly();
        }
        int open = (int) servers.stream().filter(Channel::isActive).count();
        ticker.advance(TIMEOUT.plusMillis(1));
        await().until(() -> metrics.kicks(KickCode.HEARTBEAT_TIMEOUT) == open);
        await().until(() -> sweeps.loops() == 0);
    }
}
