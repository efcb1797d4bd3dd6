package io.switchboard.cluster.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.transport.Transports;

import java.net.InetSocketAddress;

/** A gate's cluster port: accepts links from service nodes. */
public final class LinkServer implements AutoCloseable {
    private final LinkChannelInitializer initializer;
    private final EventLoopGroup group;
    private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel server;

    public LinkServer(LinkChannelInitializer initializer, EventLoopGroup group) {
        this.initializer = initializer;
        this.group = group;
    }

    public LinkServer bind(String host, int port) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(initializer);
                    }
                })
                .bind(host, port).sync().channel();
        return this;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Closes the port and every link accepted on it. */
    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        children.close().syncUninterruptibly();
    }
}
