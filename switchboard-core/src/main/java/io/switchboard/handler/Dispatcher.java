package io.switchboard.handler;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.AttributeKey;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.GateErrors;
import io.switchboard.gate.MessageListener;
import io.switchboard.gate.Session;
import io.switchboard.gate.internal.DefaultSession;
import io.switchboard.handler.internal.DefaultHandlerContext;
import io.switchboard.handler.internal.SerialExecutor;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
    private final Executor workers;
    private final Serializer serializer;
    private final int maxPendingPerSession;
    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public Dispatcher(Handlers handlers, Executor workers, Serializer serializer, int maxPendingPerSession,
                      MeterRegistry meters) {
        this.handlers = handlers;
        this.workers = workers;
        this.serializer = serializer;
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
                respondError(session, message.id(), GateErrors.TOO_MANY_PENDING, GateErrors.TOO_MANY_PENDING.message());
            }
        } finally {
            message.release();
        }
    }

    private void handle(Session session, MessageType type, long id, String route, byte[] body) {
        long start = System.nanoTime();
        CompletionStage<Object> result;
        try {
            Handlers.Entry entry = handlers.lookup(route);
            if (entry == null) {
                throw new SwitchboardException(Handlers.isValidRoute(route) ? HandlerErrors.ROUTE_NOT_FOUND
                        : HandlerErrors.BAD_ROUTE, "no handler for route '" + route + "'");
            }
            if (type == MessageType.REQUEST && !entry.takesRequests()) {
                throw new SwitchboardException(HandlerErrors.NOT_A_REQUEST, route + " takes notifies only");
            }
            DefaultHandlerContext ctx = new DefaultHandlerContext(session, route, type, id, body, serializer);
            result = proceed(ctx, entry, handlers.filters(), 0);
        } catch (Throwable t) {
            result = CompletableFuture.failedFuture(t);
        }
        result.whenComplete((value, error) -> {
            timer(route, handlers.lookup(route) != null).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (type == MessageType.REQUEST) {
                respond(session, id, route, value, error);
            } else if (error != null) {
                logFailure(session, route, error);
            }
        });
    }

    /** Runs filter {@code index}, or the handler after the last filter. */
    private CompletionStage<Object> proceed(DefaultHandlerContext ctx, Handlers.Entry entry, List<Filter> filters,
                                            int index) {
        try {
            if (index < filters.size()) {
                CompletionStage<Object> stage = filters.get(index).filter(ctx,
                        next -> proceed((DefaultHandlerContext) next, entry, filters, index + 1));
                return stage == null ? CompletableFuture.completedFuture(null) : stage;
            }
            if (ctx.type() == MessageType.NOTIFY && entry.notifyHandler() != null) {
                entry.notifyHandler().handle(ctx);
                return CompletableFuture.completedFuture(null);
            }
            Object value = entry.requestHandler().handle(ctx);
            if (value instanceof CompletionStage<?> stage) {
                @SuppressWarnings("unchecked")
                CompletionStage<Object> cast = (CompletionStage<Object>) stage;
                return cast;
            }
            return CompletableFuture.completedFuture(value);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    private void respond(Session session, long id, String route, Object value, Throwable error) {
        if (error == null) {
            byte[] bytes;
            try {
                bytes = serializer.encode(value);
            } catch (Exception e) {
                log.error("cannot serialize the response of {}", route, e);
                respondError(session, id, HandlerErrors.HANDLER_FAILED, HandlerErrors.HANDLER_FAILED.message());
                return;
            }
            ((DefaultSession) session).send(PomeloMessage.response(id, Unpooled.wrappedBuffer(bytes)));
            return;
        }
        Throwable cause = unwrap(error);
        if (cause instanceof SwitchboardException e) {
            respondError(session, id, e.errorCode(), e.getMessage());
        } else {
            logFailure(session, route, cause);
            respondError(session, id, HandlerErrors.HANDLER_FAILED, HandlerErrors.HANDLER_FAILED.message());
        }
    }

    private void respondError(Session session, long id, ErrorCode code, String message) {
        byte[] body = Json.errorBody(code.code(), message).toString().getBytes(StandardCharsets.UTF_8);
        ((DefaultSession) session).send(PomeloMessage.errorResponse(id, Unpooled.wrappedBuffer(body)));
    }

    private static void logFailure(Session session, String route, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof SwitchboardException e) {
            log.debug("{} on {} for {}: {}", e.errorCode(), route, session, e.getMessage());
        } else {
            log.error("handler {} failed for {}", route, session, cause);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private Timer timer(String route, boolean known) {
        // Unknown routes share one tag, so clients cannot blow up the number of meters.
        String tag = known ? route : "unknown";
        return timers.computeIfAbsent(tag, r -> Timer.builder("switchboard.handler.duration")
                .tag("route", r).register(meters));
    }
}
