package io.switchboard.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Turns data packages into {@link PomeloMessage}s and passes every other package on unchanged. The
 * dictionary, and whether the peer may send compressed bodies, are set once the handshake has chosen them; until
 * then a compressed body is refused.
 */
public class PomeloMessageDecoder extends MessageToMessageDecoder<PomeloPackage> {
    private final int maxBodyLength;
    private volatile RouteDictionary dictionary = RouteDictionary.empty();
    private volatile boolean compressionNegotiated;

    public PomeloMessageDecoder(int maxBodyLength) {
        super(PomeloPackage.class);
        this.maxBodyLength = maxBodyLength;
    }

    public void dictionary(RouteDictionary dictionary) {
        this.dictionary = dictionary == null ? RouteDictionary.empty() : dictionary;
    }

    /** Whether the peer negotiated compression, so may send zlib-compressed bodies (they are inflated, bounded). */
    public void compressionNegotiated(boolean negotiated) {
        this.compressionNegotiated = negotiated;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, PomeloPackage pkg, List<Object> out) {
        if (pkg.type() != PackageType.DATA) {
            out.add(pkg.retain());
            return;
        }
        out.add(PomeloMessageCodec.decode(ctx.alloc(), pkg.content().duplicate(), dictionary, maxBodyLength,
                compressionNegotiated));
    }
}
