package io.switchboard.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a free loopback port to one target, which a test can cut as a network partition cuts a path, both
 * ways or one way: the connections stay open and whatever is sent the cut way is lost, so the end it was meant for
 * sees silence, not a close (a close sent the cut way is lost too). A connection made during a cut is accepted and
 * gets nothing through either way; the target never hears of it. After {@link #heal()} new connections relay again;
 * the ones cut stay cut, and their ends must notice the silence and close them, as after a real partition.
 */
public final class PartitionProxy implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final InetSocketAddress target;
    private final Channel server;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Direction cut;

    /** Which way a cut loses bytes. */
    public enum Direction {
        /** What the dialing side sends to the target. */
        TO_TARGET,
        /** What the target sends back. */
        FROM_TARGET,
        BOTH;

        /** Whether this cut loses what goes {@code way}. */
        public boolean loses(Direction way) {
            return this == BOTH || this == way;
        }
    }

    /** Starts a relay to {@code target} on a free loopback port. */
    public PartitionProxy(InetSocketAddress target) throws InterruptedException {
        this.target = target;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel inbound) {
                        accepted.incrementAndGet();
                        Relay relay = new Relay(inbound);
                        relays.add(relay);
                        inbound.closeFuture().addListener(f -> relays.remove(relay));
                        // Read after the relay is listed, so a cut either sees it or came first.
                        relay.start(cut);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** The port to dial instead of the target's. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Connections accepted so far, cut or not. */
    public int accepted() {
        return accepted.get();
    }

    /** Cuts both ways every connection open now and every one made until {@link #heal()}. */
    public void cut() {
        cut(Direction.BOTH);
    }

    /** Cuts {@code way} every connection open now and every one made until {@link #heal()}. */
    public void cut(Direction way) {
        cut = way;
        relays.forEach(relay -> relay.sever(way));
    }

    /** Lets new connections through again; those cut stay cut. */
    public void heal() {
        cut = null;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        relays.forEach(Relay::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One accepted connection and, unless it was made during a cut, its connection to the target. */
    private final class Relay {
        private final Channel inbound;
        private volatile Channel outbound;
        private volatile boolean toTargetLost;
        private volatile boolean fromTargetLost;

        Relay(Channel inbound) {
            this.inbound = inbound;
        }

        void start(Direction cutNow) {
            if (cutNow != null) {
                // No connection across a cut of either way: the target never hears of this one.
                sever(Direction.BOTH);
                inbound.pipeline().addLast(new Forward(null, Direction.TO_TARGET));
                inbound.config().setAutoRead(true);
                return;
            }
            new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new Forward(inbound, Direction.FROM_TARGET))
                    .connect(target).addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            inbound.close();
                            return;
                        }
                        if (!inbound.isActive()) {
                            connected.channel().close();
                            return;
                        }
                        outbound = connected.channel();
                        inbound.pipeline().addLast(new Forward(outbound, Direction.TO_TARGET));
                        inbound.config().setAutoRead(true);
                    });
        }

        /** Only ever sets a way lost (the test's thread and the relay's may both cut; neither may undo the other). */
        void sever(Direction way) {
            if (way.loses(Direction.TO_TARGET)) {
                toTargetLost = true;
            }
            if (way.loses(Direction.FROM_TARGET)) {
                fromTargetLost = true;
            }
        }

        boolean loses(Direction way) {
            return way == Direction.TO_TARGET ? toTargetLost : fromTargetLost;
        }

        void close() {
            inbound.close();
            Channel out = outbound;
            if (out != null) {
                out.close();
            }
        }

        /** Passes what one side reads to the other, until that way is cut; then drops it. */
        private final class Forward extends ChannelInboundHandlerAdapter {
            private final Channel to;
            private final Direction way;

            Forward(Channel to, Direction way) {
                this.to = to;
                this.way = way;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (to == null || loses(way)) {
                    ReferenceCountUtil.release(msg);
                } else {
                    to.writeAndFlush(msg);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                // A close crosses only a way that is not cut.
                if (to != null && !loses(way)) {
                    to.close();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }
}
