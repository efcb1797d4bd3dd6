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
 * A TCP relay on a free loopback port to one target, which a test can cut as a network partition cuts a path: the
 * connections stay open and whatever either end sends is lost, so each end sees silence, not a close (a close is
 * lost too). A connection made during a cut is accepted and gets nothing through, like a connect whose packets are
 * dropped after the handshake. After {@link #heal()} new connections relay again; the ones cut stay cut, and their
 * ends must notice the silence and close them, as they would have to after a real partition.
 */
public final class PartitionProxy implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final InetSocketAddress target;
    private final Channel server;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean cut;

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

    /** Cuts every connection open now and every one made until {@link #heal()}. */
    public void cut() {
        cut = true;
        relays.forEach(Relay::sever);
    }

    /** Lets new connections through again; those cut stay cut. */
    public void heal() {
        cut = false;
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
        private volatile boolean severed;

        Relay(Channel inbound) {
            this.inbound = inbound;
        }

        void start(boolean cutNow) {
            if (cutNow) {
                severed = true;
                inbound.pipeline().addLast(new Forward(null));
                inbound.config().setAutoRead(true);
                return;
            }
            new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new Forward(inbound))
                    .connect(target).addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            inbound.close();
                            return;
                        }
                        outbound = connected.channel();
                        inbound.pipeline().addLast(new Forward(outbound));
                        inbound.config().setAutoRead(true);
                    });
        }

        void sever() {
            severed = true;
        }

        void close() {
            inbound.close();
            Channel out = outbound;
            if (out != null) {
                out.close();
            }
        }

        /** Passes what one side reads to the other, until the relay is severed; then drops it. */
        private final class Forward extends ChannelInboundHandlerAdapter {
            private final Channel to;

            Forward(Channel to) {
                this.to = to;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (severed || to == null) {
                    ReferenceCountUtil.release(msg);
                } else {
                    to.writeAndFlush(msg);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                // A close crosses only a path that is not cut.
                if (!severed && to != null) {
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
