package io.switchboard.client.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloMessageDecoder;
import io.switchboard.protocol.PomeloMessageEncoder;
import io.switchboard.protocol.PomeloPackageDecoder;
import io.switchboard.protocol.PomeloPackageEncoder;

/**
 * What the client puts on a dialed channel, after the transport handlers: the package and message codecs of
 * the protocol module, then the {@link PomeloClientHandler}. The dialer adds it once the transport is ready.
 */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {
    public static final String PACKAGE_DECODER = "pomeloPackageDecoder";
    public static final String PACKAGE_ENCODER = "pomeloPackageEncoder";
    public static final String ROUTE_EXPANDER = "pomeloRouteExpander";
    public static final String MESSAGE_DECODER = "pomeloMessageDecoder";
    public static final String MESSAGE_ENCODER = "pomeloMessageEncoder";
    public static final String CLIENT_HANDLER = "pomeloClient";

    private static final PomeloPackageEncoder PACKAGE_ENCODER_INSTANCE = new PomeloPackageEncoder();

    private final PomeloClientHandler handler;

    public ClientChannelInitializer(PomeloClientHandler handler) {
        this.handler = handler;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast(PACKAGE_DECODER, new PomeloPackageDecoder());
        pipeline.addLast(PACKAGE_ENCODER, PACKAGE_ENCODER_INSTANCE);
        PomeloMessageDecoder messages = new PomeloMessageDecoder(PackageHeader.MAX_BODY_LENGTH);
        // The server compresses only for clients that asked; a client inflates what its server sends (bounded).
        messages.compressionNegotiated(true);
        pipeline.addLast(MESSAGE_DECODER, messages);
        pipeline.addLast(MESSAGE_ENCODER, new PomeloMessageEncoder());
        pipeline.addLast(CLIENT_HANDLER, handler);
    }
}
