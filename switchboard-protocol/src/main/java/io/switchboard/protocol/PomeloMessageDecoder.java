package io.switchboard.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Turns data packages into {@link PomeloMessage}s and passes every other package on unchanged. The
 * dictionary is set once the handshake has chosen it.
 */
public class PomeloMessageDecoder extends MessageToMessageDecoder<PomeloPackage> {
    private final int maxBodyLength;
    private volatile RouteDictionary dictionary = RouteDictionary.empty();

    public PomeloMessageDecoder(int maxBodyLength) {
        super(PomeloPackage.class);
        this.maxBodyLength = maxBodyLength;
    }

    public void dictionary(RouteDictionary dictionary) {
        this.dictionary = dictionary == null ? RouteDictionary.empty() : dictionary;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, PomeloPackage pkg, List<Object> out) {
        if (pkg.type() != PackageType.DATA) {
            out.add(pkg.retain());
            return;
        }
        out.add(PomeloMessageCodec.decode(ctx.alloc(), pkg.content().duplicate(), dictionary, maxBodyLength));
    }
}
