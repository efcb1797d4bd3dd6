package io.switchboard.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Writes {@link PomeloMessage}s as whole data packages, header included, in one buffer each. Route
 * compression and body compression follow what the handshake agreed with this client.
 */
public class PomeloMessageEncoder extends MessageToMessageEncoder<PomeloMessage> {
    private volatile RouteDictionary dictionary;
    private volatile boolean compressBody;

    public PomeloMessageEncoder() {
        super(PomeloMessage.class);
    }

    /** Routes found in {@code dictionary} go out as codes; {@code null} sends route strings. */
    public void dictionary(RouteDictionary dictionary) {
        this.dictionary = dictionary;
    }

    public void compressBody(boolean compressBody) {
        this.compressBody = compressBody;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PomeloMessage msg, List<Object> out) {
        out.add(PomeloMessageCodec.encodePackage(ctx.alloc(), msg, dictionary, compressBody));
    }
}
