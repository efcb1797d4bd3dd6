package io.switchboard.handler;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.AttributeKey;
import io.switchboard.gate.GateErrors;
import io.switchboard.gate.MessageListener;
import io.switchboard.gate.Session;
import io.switchboard.gate.internal.DefaultSession;
import io.switchboard.handler.internal.SerialExecutor;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The {@link MessageListener} that runs handlers. Each session's messages go through a
 * {@link SerialExecutor} on the worker pool, so handlers run off the I/O threads and one session's messages
 * are handled in arrival order. Requests are answered with the handler's result or an error response whose
 * code comes from the error-code plan; an unexpected exception is logged here and reaches the client only
 * as {@link HandlerErrors#HANDLER_FAILED}, never as a stack trace.
 */
public final class Dispatcher implements MessageListener {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final AttributeKey<SerialExecutor> EXECUTOR = AttributeKey.valueOf("switchboard.serial");

    private final Handlers handlers;
    private final HandlerInvoker invoker;
    private final Executor workers;
    private final int maxPendingPerSession;
    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public Dispatcher(Handlers handlers, Executor workers, Serializer serializer, int maxPendingPerSession,
                      MeterRegistry meters) {
        this.handlers = handlers;
        this.invoker = new HandlerInvoker(handlers, serializer);
        this.workers = workers;
        this.maxPendingPerSession = maxPendingPerSession;
        this.meters = meters;
    }

    @Override
    public void receive(Session session, PomeloMessage message) {
        SerialExecutor executor = executorOf(session);
        if (executor.pending() >= maxPendingPerSession) {
            reject(session, message);
            return;
        }
        // Copy the body out now so the buffer goes back to the pool at once and handlers may keep it.
        byte[] body = ByteBufUtil.getBytes(message.content());
        MessageType type = message.type();
        long id = message.id();
        String route = message.route();
        message.release();
        executor.execute(() -> handle(session, type, id, route, body));
    }

    private SerialExecutor executorOf(Session session) {
        var attr = session.channel().attr(EXECUTOR);
        SerialExecutor executor = attr.get();
        if (executor == null) {
            executor = new SerialExecutor(workers);
            SerialExecutor raced = attr.setIfAbsent(executor);
            if (raced != null) {
                executor = raced;
            }
        }
        return executor;
    }

    private void reject(Session session, PomeloMessage message) {
        try {
            log.debug("session {} has {} messages queued; rejecting {}", session.id(), maxPendingPerSession,
                    message.route());
            if (message.type() == MessageType.REQUEST) {
                respondError(session, message.id(), GateErrors.TOO_MANY_PENDING.code(),
                        GateErrors.TOO_MANY_PENDING.message());
            }
        } finally {
            message.release();
        }
    }

    private void handle(Session session, MessageType type, long id, String route, byte[] body) {
        long start = System.nanoTime();
        invoker.invoke(session, type, id, route, body, new HandlerInvoker.Reply() {
            @Override
            public void ok(byte[] response) {
                ((DefaultSession) session).send(PomeloMessage.response(id, Unpooled.wrappedBuffer(response)));
            }

            @Override
            public void error(long code, String message) {
                respondError(session, id, code, message);
            }
        }).whenComplete((ignored, error) ->
                timer(route, handlers.lookup(route) != null).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    private static void respondError(Session session, long id, long code, String message) {
        byte[] body = Json.errorBody(code, message).toString().getBytes(StandardCharsets.UTF_8);
        ((DefaultSession) session).send(PomeloMessage.errorResponse(id, Unpooled.wrappedBuffer(body)));
    }

    private Timer timer(String route, boolean known) {
        // Unknown routes share one tag, so clients cannot blow up the number of meters.
        String tag = known ? route : "unknown";
        return timers.computeIfAbsent(tag, r -> Timer.builder("switchboard.handler.duration")
                .tag("route", r).register(meters));
    }
}
