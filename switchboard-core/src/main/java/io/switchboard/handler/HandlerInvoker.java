package io.switchboard.handler;

import io.switchboard.api.Filter;
import io.switchboard.api.HandlerTable;
import io.switchboard.api.Handlers;
import io.switchboard.api.errors.HandlerErrors;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.Session;
import io.switchboard.handler.internal.DefaultHandlerContext;
import io.switchboard.protocol.MessageType;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Runs one message through the filters and its handler and turns the outcome into a response body or an
 * error code. The one place that decides what a client sees: the gate's {@link Dispatcher} and a cluster
 * node both use it, and differ only in where the answer goes ({@link Reply}).
 */
public final class HandlerInvoker {
    private static final Logger log = LoggerFactory.getLogger(HandlerInvoker.class);

    private final HandlerTable handlers;
    private final Serializer serializer;

    /** Where a request's answer goes. */
    public interface Reply {
        void ok(byte[] body);

        void error(long code, String message);
    }

    public HandlerInvoker(Handlers handlers, Serializer serializer) {
        this.handlers = handlers.table();
        this.serializer = serializer;
    }

    /**
     * Handles a request or notify. A request is answered through {@code reply} exactly once; a failed notify is
     * logged. Unexpected exceptions are logged here and reach the client only as
     * {@link HandlerErrors#HANDLER_FAILED}. The returned stage completes when the handler is done.
     */
    public CompletionStage<Void> invoke(Session session, MessageType type, long id, String route, byte[] body,
                                        Reply reply) {
        return invoke(session, type, id, route, handlers.lookup(route), body, reply);
    }

    /**
     * {@link #invoke(Session, MessageType, long, String, byte[], Reply)} with the route's entry already looked up
     * ({@code null} when the route has none). When the handler finished before this returns, the answer has been
     * given and the returned stage is {@link #DONE}.
     */
    public CompletionStage<Void> invoke(Session session, MessageType type, long id, String route,
                                        HandlerTable.Entry entry, byte[] body, Reply reply) {
        CompletionStage<Object> result;
        try {
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
        if (result instanceof CompletableFuture<Object> done && done.isDone()) {
            // The common case: answer now, without another stage and its callback.
            Object value = null;
            Throwable error = null;
            try {
                value = done.join();
            } catch (CompletionException | CancellationException e) {
                error = e;
            }
            try {
                finish(session, type, route, value, error, reply);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
            return DONE;
        }
        return result.handle((value, error) -> {
            finish(session, type, route, value, error, reply);
            return null;
        });
    }

    /** What {@link #invoke} returns when the handler finished synchronously. */
    /** What {@link #invoke} returns when the handler's work ended within the call: nothing to wait for. */
    public static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private void finish(Session session, MessageType type, String route, Object value, Throwable error, Reply reply) {
        if (type == MessageType.REQUEST) {
            respond(session, route, value, error, reply);
        } else if (error != null) {
            logFailure(session, route, error);
        }
    }

    /** Runs filter {@code index}, or the handler after the last filter. */
    private CompletionStage<Object> proceed(DefaultHandlerContext ctx, HandlerTable.Entry entry, List<Filter> filters,
                                            int index) {
        try {
            if (index < filters.size()) {
                CompletionStage<Object> stage = filters.get(index).filter(ctx,
                        next -> proceed((DefaultHandlerContext) next, entry, filters, index + 1));
                return stage == null ? CompletableFuture.completedFuture(null) : stage;
            }
            if (!ctx.isRequest() && entry.notifyHandler() != null) {
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

    private void respond(Session session, String route, Object value, Throwable error, Reply reply) {
        if (error == null) {
            byte[] bytes;
            try {
                bytes = serializer.encode(value);
            } catch (Exception e) {
                log.error("cannot serialize the response of {}", route, e);
                reply.error(HandlerErrors.HANDLER_FAILED.code(), HandlerErrors.HANDLER_FAILED.message());
                return;
            }
            reply.ok(bytes);
            return;
        }
        Throwable cause = unwrap(error);
        if (cause instanceof SwitchboardException e) {
            reply.error(e.code(), e.getMessage() == null ? "" : e.getMessage());
        } else {
            logFailure(session, route, cause);
            reply.error(HandlerErrors.HANDLER_FAILED.code(), HandlerErrors.HANDLER_FAILED.message());
        }
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
}
