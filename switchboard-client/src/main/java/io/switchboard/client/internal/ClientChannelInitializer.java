package io.switchboard.client.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
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

    private final ClientSettings settings;
    private final PomeloClientHandler handler;

    public ClientChannelInitializer(ClientSettings settings, PomeloClientHandler handler) {
        this.settings = settings;
        this.handler = handler;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast(PACKAGE_DECODER, new PomeloPackageDecoder(settings.maxBodyLength()));
        pipeline.addLast(PACKAGE_ENCODER, PACKAGE_ENCODER_INSTANCE);
        PomeloMessageDecoder messages = new PomeloMessageDecoder(settings.maxBodyLength());
        // A server may compress only for a client that asked, so a compressed body the client did not ask for is
        // refused rather than inflated; one it asked for inflates to at most maxBodyLength.
        messages.compressionNegotiated(settings.asksForCompression());
        pipeline.addLast(MESSAGE_DECODER, messages);
        pipeline.addLast(MESSAGE_ENCODER, new PomeloMessageEncoder());
        pipeline.addLast(CLIENT_HANDLER, handler);
    }
}
