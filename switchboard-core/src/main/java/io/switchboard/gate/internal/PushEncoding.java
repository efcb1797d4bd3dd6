package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.kim.KimPacketCodec;
import io.switchboard.protocol.kim.LogicPacket;
import io.switchboard.protocol.websocket.EncodedBinaryFrames;

/**
 * How a push is put into the bytes a session's client reads, below its transport. {@link EncodedFanOut} encodes once
 * per distinct encoding, so implementations are values: equal when their bytes are.
 */
sealed interface PushEncoding {

    ByteBuf encodePush(ByteBufAllocator alloc, String route, byte[] body);

    /** What a session is given to write: a duplicate of the encoded push, as its pipeline takes it. */
    default Object message(ByteBuf encoded) {
        return encoded;
    }

    /**
     * A Pomelo data package, routes compressed with the client's dictionary and the body zlib'd if it asked; for a
     * WebSocket client ({@code framed}) already in its binary frame, so the frame is written once for all the
     * sessions that share it rather than once per session by the pipeline.
     */
    record Pomelo(RouteDictionary dictionary, boolean compress, boolean framed) implements PushEncoding {
        @Override
        public ByteBuf encodePush(ByteBufAllocator alloc, String route, byte[] body) {
            ByteBuf pkg = PomeloMessageCodec.encodePackage(alloc,
                    PomeloMessage.push(route, Unpooled.wrappedBuffer(body)), dictionary, compress);
            if (!framed) {
                return pkg;
            }
            try {
                int length = pkg.readableBytes();
                ByteBuf frame = alloc.ioBuffer(EncodedBinaryFrames.headerLength(length) + length);
                EncodedBinaryFrames.writeHeader(frame, length);
                return frame.writeBytes(pkg);
            } finally {
                pkg.release();
            }
        }

        @Override
        public Object message(ByteBuf encoded) {
            return framed ? new EncodedBinaryFrames(encoded) : encoded;
        }
    }

    /** A DOMI frame: the route's code (or a named push), the body, no extend. */
    record Domi(RouteDictionary dictionary) implements PushEncoding {
        @Override
        public ByteBuf encodePush(ByteBufAllocator alloc, String route, byte[] body) {
            return DomiTranslator.encodePush(alloc, route, body, dictionary);
        }
    }

    /** A KIM logic packet with flag push and the route as its command. */
    enum Kim implements PushEncoding {
        INSTANCE;

        @Override
        public ByteBuf encodePush(ByteBufAllocator alloc, String route, byte[] body) {
            LogicPacket push = LogicPacket.push(route, body);
            return KimPacketCodec.encodeLogic(alloc, push.header(), push.body());
        }
    }
}
