package io.switchboard.gate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.RouteDictionary;

import java.nio.ByteBuffer;

/**
 * A gate's accepted handshake answers. Most of an answer is the same for every client: the heartbeat and the route
 * dictionary, sent three times as Pomelo's connector does, about 2 KB for a few dozen routes. That head is encoded
 * once per dictionary into memory every answer shares, and only each client's own tail (dictionary version, session,
 * user) is written per handshake: a burst of connections neither serializes the dictionary again for each nor asks
 * the allocator for a large buffer each.
 */
final class HandshakeAnswers {
    private final int heartbeatSeconds;
    /** The heads of the dictionary last answered with; replaced when a handshake gets another one. */
    private volatile Heads heads;

    private record Heads(RouteDictionary dictionary, ByteBuf withDictionary, ByteBuf withoutDictionary) {
    }

    HandshakeAnswers(int heartbeatSeconds) {
        this.heartbeatSeconds = heartbeatSeconds;
    }

    /** An accepted answer's body: the shared head and this client's tail, as one direct buffer, not copied. */
    ByteBuf accepted(ByteBufAllocator alloc, RouteDictionary dictionary, boolean sendDictionary, String serializer,
                     boolean compress, JsonNode user, JsonNode session) {
        Heads current = heads;
        if (current == null || current.dictionary() != dictionary) {
            current = new Heads(dictionary,
                    shared(HandshakeResponse.acceptedHead(heartbeatSeconds, dictionary, true)),
                    shared(HandshakeResponse.acceptedHead(heartbeatSeconds, dictionary, false)));
            heads = current;
        }
        byte[] tail = HandshakeResponse.acceptedTail(dictionary, serializer, compress, user, session);
        ByteBuf head = (sendDictionary ? current.withDictionary() : current.withoutDictionary()).duplicate();
        ByteBuf own = alloc.directBuffer(tail.length).writeBytes(tail);
        return alloc.compositeDirectBuffer(2).addComponents(true, head, own);
    }

    /**
     * Bytes every answer may read at once: memory of the JDK, which its garbage collector frees once no answer under
     * way and no newer head holds it, so no count of readers is kept.
     */
    private static ByteBuf shared(byte[] bytes) {
        ByteBuffer memory = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(memory));
    }
}
