package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.websocket.EncodedBinaryFrames;

/**
 * A session's outbound messages as the packages a resume keeps: which of them are pushes, and each push as the
 * package the client gets, whatever form it waited in (a message, an encoded package, a WebSocket frame).
 */
final class PushPackages {
    private PushPackages() {
    }

    /**
     * An encoded buffer holds one push, or a burst's answers, whose first package is a response; so do WebSocket
     * frames, one package each.
     */
    static boolean isPush(Object message) {
        if (message instanceof PomeloMessage m) {
            return m.type() == MessageType.PUSH;
        }
        ByteBuf pkg = message instanceof ByteBuf b ? b
                : message instanceof EncodedBinaryFrames f ? framedPackage(f) : null;
        if (pkg != null && pkg.readableBytes() > PackageHeader.HEADER_LENGTH) {
            int at = pkg.readerIndex();
            return pkg.getUnsignedByte(at) == PackageType.DATA.code() && MessageFlags.typeCode(
                    pkg.getUnsignedByte(at + PackageHeader.HEADER_LENGTH)) == MessageType.PUSH.code();
        }
        return false;
    }

    /** The package in the first (for a push, the only) frame of {@code frames}, as a slice of it. */
    static ByteBuf framedPackage(EncodedBinaryFrames frames) {
        ByteBuf content = frames.content();
        int start = EncodedBinaryFrames.payloadStart(content, content.readerIndex());
        return content.slice(start, content.writerIndex() - start);
    }

    /** The push as the package the client gets, encoded as the pipeline would; takes ownership of {@code message}. */
    static ByteBuf encodedPush(ByteBufAllocator alloc, Object message, RouteDictionary dictionary,
                               boolean compressBody) {
        if (message instanceof ByteBuf pkg) {
            return pkg;
        }
        if (message instanceof EncodedBinaryFrames frame) {
            ByteBuf pkg = framedPackage(frame).retainedSlice();
            frame.release();
            return pkg;
        }
        PomeloMessage push = (PomeloMessage) message;
        try {
            return PomeloMessageCodec.encodePackage(alloc, push, dictionary, compressBody);
        } finally {
            push.release();
        }
    }
}
