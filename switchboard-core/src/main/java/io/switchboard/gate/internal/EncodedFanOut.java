package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.switchboard.api.FanOut;
import io.switchboard.api.Session;
import io.switchboard.gate.ClientProtocol;
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
 * The gate's {@link FanOut}: encodes the push once per distinct client encoding (framing, route dictionary, body
 * compression) with {@link PomeloMessageCodec#encodePackage} or as a DOMI frame, and gives each session a retained duplicate of that
 * one buffer. Each duplicate joins its session's outbox, behind the responses and pushes written before it, so
 * order per session holds; the drains are grouped by event loop: one task per loop drains all of its sessions,
 * each with one flush, instead of one cross-thread task per session.
 */
public final class EncodedFanOut implements FanOut {
    public static final EncodedFanOut INSTANCE = new EncodedFanOut();

    /** What a client's bytes depend on: its framing (mixed rooms hold Pomelo and DOMI clients), dictionary, compression. */
    private record Encoding(ClientProtocol protocol, RouteDictionary dictionary, boolean compress) {
    }

    private EncodedFanOut() {
    }

    @Override
    public void push(List<? extends Session> sessions, String route, byte[] body) {
        Map<Encoding, ByteBuf> encoded = new HashMap<>();
        Map<EventExecutor, List<DefaultSession>> drains = new IdentityHashMap<>();
        try {
            for (Session s : sessions) {
                if (!(s instanceof DefaultSession session)) {
                    s.push(route, body);
                    continue;
                }
                if (!session.takesPushes()) {
                    continue;
                }
                Channel channel = session.channel();
                ByteBuf once = encoded.computeIfAbsent(new Encoding(session.protocol(),
                        session.dictionary(), session.compressBody()),
                        e -> encode(channel.alloc(), route, body, e));
                if (session.offer(once.retainedDuplicate())) {
                    drains.computeIfAbsent(channel.eventLoop(), l -> new ArrayList<>()).add(session);
                }
            }
        } finally {
            encoded.values().forEach(ByteBuf::release);
            // Even after a failure: what was offered must be written (or given back).
            drains.forEach(EncodedFanOut::drainOn);
        }
    }

    private static ByteBuf encode(ByteBufAllocator alloc, String route, byte[] body, Encoding encoding) {
        if (encoding.protocol() == ClientProtocol.DOMI) {
            return DomiTranslator.encodePush(alloc, route, body, encoding.dictionary());
        }
        return PomeloMessageCodec.encodePackage(alloc, PomeloMessage.push(route, Unpooled.wrappedBuffer(body)),
                encoding.dictionary(), encoding.compress());
    }

    private static void drainOn(EventExecutor loop, List<DefaultSession> sessions) {
        Runnable task = () -> sessions.forEach(DefaultSession::drainNow);
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            sessions.forEach(s -> s.drainRejected(e)); // the gate is shutting down
        }
    }
}
