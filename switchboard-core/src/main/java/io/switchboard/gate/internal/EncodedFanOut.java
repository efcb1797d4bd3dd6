package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.switchboard.gate.FanOut;
import io.switchboard.gate.Session;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The gate's {@link FanOut}: encodes the push once per distinct client encoding (route dictionary, body
 * compression) with {@link PomeloMessageCodec#encodePackage}, and gives each session a retained duplicate of that
 * one buffer. Writes are grouped by event loop: one task per loop writes to all of its channels, then flushes
 * each once, instead of one cross-thread task and flush per session.
 */
public final class EncodedFanOut implements FanOut {
    public static final EncodedFanOut INSTANCE = new EncodedFanOut();

    private record Encoding(RouteDictionary dictionary, boolean compress) {
    }

    private record Write(DefaultSession session, ByteBuf encoded) {
    }

    private EncodedFanOut() {
    }

    @Override
    public void push(List<? extends Session> sessions, String route, byte[] body) {
        Map<Encoding, ByteBuf> encoded = new HashMap<>();
        Map<EventExecutor, List<Write>> byLoop = new IdentityHashMap<>();
        try {
            for (Session s : sessions) {
                if (!(s instanceof DefaultSession session)) {
                    s.push(route, body);
                    continue;
                }
                Channel channel = session.channel();
                if (!channel.isActive()) {
                    continue;
                }
                ByteBuf once = encoded.computeIfAbsent(new Encoding(session.dictionary(), session.compressBody()),
                        e -> encode(channel.alloc(), route, body, e));
                byLoop.computeIfAbsent(channel.eventLoop(), l -> new ArrayList<>())
                        .add(new Write(session, once.retainedDuplicate()));
            }
        } catch (RuntimeException e) {
            byLoop.values().forEach(writes -> writes.forEach(w -> w.encoded().release()));
            throw e;
        } finally {
            encoded.values().forEach(ByteBuf::release);
        }
        byLoop.forEach(EncodedFanOut::writeOn);
    }

    private static ByteBuf encode(ByteBufAllocator alloc, String route, byte[] body, Encoding encoding) {
        return PomeloMessageCodec.encodePackage(alloc, PomeloMessage.push(route, Unpooled.wrappedBuffer(body)),
                encoding.dictionary(), encoding.compress());
    }

    private static void writeOn(EventExecutor loop, List<Write> writes) {
        Runnable task = () -> {
            for (Write write : writes) {
                write.session().writeEncodedInLoop(write.encoded());
            }
            Channel last = null;
            for (Write write : writes) {
                Channel channel = write.session().channel();
                if (channel != last) {
                    channel.flush();
                    last = channel;
                }
            }
        };
        if (loop.inEventLoop()) {
            task.run(); // keeps order with writes this thread already made on these channels
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            writes.forEach(w -> w.encoded().release()); // the gate is shutting down
        }
    }
}
