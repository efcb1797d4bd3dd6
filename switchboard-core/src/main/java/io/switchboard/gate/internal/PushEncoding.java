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
 * How a push is put into the bytes a session's client reads: its framing's encoding, in a binary frame for a WebSocket
 * client. {@link EncodedFanOut} encodes once per distinct encoding, so implementations are values: equal when their
 * bytes are.
 */
sealed interface PushEncoding {

    ByteBuf encodePush(ByteBufAllocator alloc, String route, byte[] body);

    /** What a session is given to write: a duplicate of the encoded push, as its pipeline takes it. */
    default Object message(ByteBuf encoded) {
        return encoded;
    }

    /** A Pomelo data package, routes compressed with the client's dictionary and the body zlib'd if it asked. */
    record Pomelo(RouteDictionary dictionary, boolean compress) implements PushEncoding {
        @Override
        public ByteBuf encodePush(ByteBufAllocator alloc, String route, byte[] body) {
            return PomeloMessageCodec.encodePackage(alloc, PomeloMessage.push(route, Unpooled.wrappedBuffer(body)),
                    dictionary, compress);
        }
    }

    /**
     * Another encoding's bytes in a binary WebSocket frame (one push per frame, for any framing): written once for
     * all the WebSocket sessions that share it, rather than once per session by each pipeline.
     */
    record Framed(PushEncoding inner) implements PushEncoding {
        @Override
        public ByteBuf encodePush(ByteBufAllocator alloc, String route, byte[] body) {
            ByteBuf encoded = inner.encodePush(alloc, route, body);
            try {
                ByteBuf frame = alloc.ioBuffer(EncodedBinaryFrames.frameLength(encoded.readableBytes()));
                EncodedBinaryFrames.writeFrame(frame, encoded);
                return frame;
            } finally {
                encoded.release();
            }
        }

        @Override
        public Object message(ByteBuf encoded) {
            return new EncodedBinaryFrames(encoded);
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
