package io.switchboard.handler;

import io.switchboard.api.HandlerTable;
import io.switchboard.api.errors.RuntimeErrors;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.api.Handlers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.switchboard.api.errors.GateErrors;
import io.switchboard.gate.GateSession;
import io.switchboard.gate.MessageListener;
import io.switchboard.api.Session;
import io.switchboard.gate.internal.DefaultSession;
import io.switchboard.common.concurrent.SerialExecutor;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link MessageListener} that runs handlers. Each session's messages go through a
 * {@link SerialExecutor} on the worker pool, so handlers run off the I/O threads and one session's messages
 * are handled in arrival order. Requests are answered with the handler's result or an error response whose
 * code comes from the error-code plan; an unexpected exception is logged here and reaches the client only
 * as {@link HandlerErrors#HANDLER_FAILED}, never as a stack trace.
 *
 * <p>The messages of one session that arrive in one pass of its event loop are handed to the workers as one task
 * (submitted by a task on that event loop once the pass's reads are done), and their answers leave in one write
 * task (a Pomelo client's encoded on the worker into one buffer): one thread hand-off each way per burst rather than
 * per message. A route registered as non-blocking
 * ({@link Route#nonBlocking()}) runs on the I/O thread itself when nothing of its session is waiting for or running
 * on the workers; otherwise it takes its turn there like any other, so arrival order holds either way.
 */
public final class Dispatcher implements MessageListener {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final AttributeKey<Inbox> INBOX = AttributeKey.valueOf("switchboard.inbox");

    private final HandlerTable handlers;
    private final HandlerInvoker invoker;
    private final Executor workers;
    private final int maxPendingPerSession;
    private final long maxPendingBytesPerSession;
    private final Counter readsPaused;
    private final MeterRegistry meters;
    /** Known routes only, so clients cannot grow it; unknown routes share {@link #unknown}. */
    private final ConcurrentHashMap<String, Target> targets = new ConcurrentHashMap<>();
    private final Target unknown;

    /** Bytes of message bodies one session may have waiting for the workers before its reads pause. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 1 << 20;

    public Dispatcher(Handlers handlers, Executor workers, Serializer serializer, int maxPendingPerSession,
                      MeterRegistry meters) {
        this(handlers, workers, serializer, maxPendingPerSession, DEFAULT_MAX_PENDING_BYTES, meters);
    }

    /**
     * @param maxPendingPerSession      messages one session may have waiting, or in handlers whose stages are not
     *                                  done; further requests are refused, further notifies dropped
     * @param maxPendingBytesPerSession body bytes of those; past it the connection stops being read (TCP pushes back
     *                                  on the client) until the workers and the stages have caught up
     */
    public Dispatcher(Handlers handlers, Executor workers, Serializer serializer, int maxPendingPerSession,
                      long maxPendingBytesPerSession, MeterRegistry meters) {
        this.handlers = handlers.table();
        this.invoker = new HandlerInvoker(handlers, serializer);
        this.workers = workers;
        this.maxPendingPerSession = maxPendingPerSession;
        this.maxPendingBytesPerSession = maxPendingBytesPerSession;
        this.readsPaused = Counter.builder("switchboard_gate_reads_paused")
                .description("times a session's reads paused because its bodies waiting for the workers passed the budget")
                .register(meters);
        this.meters = meters;
        this.unknown = new Target(null, "unknown");
    }

    /** A route's handler entry and its timer, looked up once. */
    private final class Target {
        final HandlerTable.Entry entry;
        final String tag;
        private volatile Timer timer;

        Target(HandlerTable.Entry entry, String tag) {
            this.entry = entry;
            this.tag = tag;
        }

        Timer timer() {
            Timer t = timer;
            if (t == null) {
                t = Timer.builder("switchboard.handler.duration").tag("route", tag).register(meters);
                timer = t;
            }
            return t;
        }
    }

    /** One message on its way to the workers, linked to the next of its burst. */
    private static final class Work {
        final MessageType type;
        final long id;
        final String route;
        final byte[] body;
        final Target target;
        Work next;

        Work(MessageType type, long id, String route, byte[] body, Target target) {
            this.type = type;
            this.id = id;
            this.route = route;
            this.body = body;
            this.target = target;
        }
    }

    /**
     * A session's messages on their way to the workers. The burst fields belong to the session's event loop; a burst
     * goes to the workers as one task of the session's {@link SerialExecutor}.
     */
    private final class Inbox implements Runnable {
        final DefaultSession session;
        final SerialExecutor serial;
        /** Messages handed to the workers and not yet handled. */
        final AtomicInteger queued = new AtomicInteger();
        /** Body bytes queued or handed to the workers and not yet handled, or handled by a stage not yet done. */
        final AtomicLong bytes = new AtomicLong();
        /**
         * Messages whose handler returned a stage that is not done yet (a room's route, say): they hold their work and
         * body until it is, so they count against the session's caps until then.
         */
        final AtomicInteger unfinished = new AtomicInteger();
        /** Reads are paused over the byte budget; set on the session's event loop, read by workers too. */
        private volatile boolean paused;
        private Work head;
        private Work tail;
        private int burst;
        private boolean submitScheduled;

        Inbox(DefaultSession session) {
            this.session = session;
            this.serial = new SerialExecutor(workers);
        }

        int pending() {
            return queued.get() + burst + unfinished.get();
        }

        /** A handler returned a stage not done yet: its message stays counted, body and all, until it is. */
        void unfinishedStarted(int length) {
            unfinished.incrementAndGet();
            bytes.addAndGet(length);
        }

        void unfinishedEnded(int length) {
            unfinished.decrementAndGet();
            bodiesHandled(length);
        }

        /** On the event loop: counts a body in and stops reading the connection past the budget. */
        void bodyQueued(int length) {
            if (bytes.addAndGet(length) > maxPendingBytesPerSession && !paused) {
                paused = true;
                readsPaused.increment();
                session.channel().config().setAutoRead(false);
            }
        }

        /** On a worker: counts handled bodies out and, once under half the budget, reads again. */
        void bodiesHandled(long length) {
            // Only a paused session costs an event-loop task: the echo path stays as it was.
            if (bytes.addAndGet(-length) <= maxPendingBytesPerSession / 2 && paused) {
                Channel channel = session.channel();
                try {
                    channel.eventLoop().execute(() -> {
                        if (paused && bytes.get() <= maxPendingBytesPerSession / 2) {
                            paused = false;
                            channel.config().setAutoRead(true);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // The event loop is shutting down with the connection: nothing left to read.
                }
            }
        }

        /** Nothing of this session waits for or runs on the workers. */
        boolean idle() {
            return head == null && queued.get() == 0;
        }

        void add(Work work) {
            if (tail == null) {
                head = work;
            } else {
                tail.next = work;
            }
            tail = work;
            burst++;
        }

        /** On the event loop, after the reads of this pass: the burst goes to the workers. */
        @Override
        public void run() {
            submitScheduled = false;
            submit();
        }

        void scheduleSubmit(EventLoop loop) {
            if (!submitScheduled) {
                submitScheduled = true;
                try {
                    loop.execute(this);
                } catch (RejectedExecutionException e) {
                    // The event loop is shutting down: hand the burst over now.
                    submitScheduled = false;
                    submit();
                }
            }
        }

        void submit() {
            Work first = head;
            if (first == null) {
                return;
            }
            int count = burst;
            head = null;
            tail = null;
            burst = 0;
            queued.addAndGet(count);
            try {
                serial.execute(() -> runBatch(first, count));
            } catch (RejectedExecutionException e) {
                // The workers are full: answer now rather than queue without bound.
                queued.addAndGet(-count);
                refuse(first, count, e);
            }
        }

        private void refuse(Work first, int count, RejectedExecutionException cause) {
            ErrorCode code = RuntimeErrors.OVERLOADED;
            log.debug("workers full; refusing {} messages of session {}: {}", count, session.id(), cause.getMessage());
            long refusedBytes = 0;
            for (Work work = first; work != null; work = work.next) {
                refusedBytes += work.body.length;
                if (work.type == MessageType.REQUEST) {
                    respondError(session, work.id, code.code(), code.message());
                }
            }
            bodiesHandled(refusedBytes);
        }

        private void runBatch(Work first, int count) {
            long batchBytes = 0;
            session.beginBurst();
            try {
                // One clock reading per message: a message's end is the next one's start.
                long start = System.nanoTime();
                for (Work work = first; work != null; work = work.next) {
                    batchBytes += work.body.length;
                    try {
                        start = handle(this, work.target, work.type, work.id, work.route, work.body, start);
                    } catch (RuntimeException e) {
                        log.warn("handling {} for {} failed", work.route, session, e);
                        start = System.nanoTime();
                    }
                }
            } finally {
                session.endBurst();
                queued.addAndGet(-count);
                bodiesHandled(batchBytes);
            }
        }
    }

    @Override
    public void receive(GateSession session, PomeloMessage message) {
        DefaultSession owner = (DefaultSession) session;
        Inbox inbox = inboxOf(owner);
        if (inbox.pending() >= maxPendingPerSession) {
            reject(session, message);
            return;
        }
        String route = message.route();
        Target target = target(route);
        // Copy the body out now so the buffer goes back to the pool at once and handlers may keep it.
        byte[] body = ByteBufUtil.getBytes(message.content());
        MessageType type = message.type();
        long id = message.id();
        message.release();
        EventLoop loop = owner.channel().eventLoop();
        if (!loop.inEventLoop()) {
            // Not from the session's I/O thread (a test, say): no burst to wait for.
            synchronized (inbox) {
                inbox.add(new Work(type, id, route, body, target));
                inbox.bytes.addAndGet(body.length);
                inbox.submit();
            }
            return;
        }
        if (target.entry != null && target.entry.nonBlocking() && inbox.idle()) {
            handle(inbox, target, type, id, route, body, System.nanoTime());
            return;
        }
        inbox.add(new Work(type, id, route, body, target));
        inbox.bodyQueued(body.length);
        inbox.scheduleSubmit(loop);
    }

    private Target target(String route) {
        Target target = targets.get(route);
        if (target == null) {
            HandlerTable.Entry entry = route == null ? null : handlers.lookup(route);
            if (entry == null) {
                return unknown;
            }
            target = targets.computeIfAbsent(route, r -> new Target(entry, r));
        }
        return target;
    }

    private Inbox inboxOf(DefaultSession session) {
        var attr = session.channel().attr(INBOX);
        Inbox inbox = attr.get();
        if (inbox == null) {
            inbox = new Inbox(session);
            Inbox raced = attr.setIfAbsent(inbox);
            if (raced != null) {
                inbox = raced;
            }
        }
        return inbox;
    }

    private void reject(Session session, PomeloMessage message) {
        try {
            log.debug("session {} has {} messages queued; rejecting {}", session.id(), maxPendingPerSession,
                    message.route());
            if (message.type() == MessageType.REQUEST) {
                respondError((DefaultSession) session, message.id(), GateErrors.TOO_MANY_PENDING.code(),
                        GateErrors.TOO_MANY_PENDING.message());
            }
        } finally {
            message.release();
        }
    }

    /**
     * Runs one message of {@code inbox}'s session; on a worker within a burst ({@link DefaultSession#beginBurst()}) its
     * answer waits for the burst's one write, elsewhere it is written at once. A handler's stage that is not done yet
     * keeps its message counted against the session's caps until it is. {@code start} is the clock reading the
     * handler's time is measured from; returns the reading at its end.
     */
    private long handle(Inbox inbox, Target target, MessageType type, long id, String route, byte[] body, long start) {
        DefaultSession session = inbox.session;
        CompletionStage<Void> done = invoker.invoke(session, type, id, route, target.entry, body,
                new Answer(session, id));
        long end = System.nanoTime();
        if (done == HandlerInvoker.DONE) {
            target.timer().record(end - start, TimeUnit.NANOSECONDS);
        } else {
            inbox.unfinishedStarted(body.length);
            done.whenComplete((ignored, error) -> {
                inbox.unfinishedEnded(body.length);
                target.timer().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            });
        }
        return end;
    }

    /**
     * Sends a request's answer through {@link DefaultSession#answer}: it joins the burst its session's messages are
     * being handled in on this thread, if any (a handler's future completing on another thread writes it on its own).
     */
    private record Answer(DefaultSession session, long id) implements HandlerInvoker.Reply {
        @Override
        public void ok(byte[] response) {
            session.answer(PomeloMessage.response(id, Unpooled.wrappedBuffer(response)));
        }

        @Override
        public void error(long code, String message) {
            respondError(session, id, code, message);
        }
    }

    private static void respondError(DefaultSession session, long id, long code, String message) {
        byte[] body = Json.errorBody(code, message).toString().getBytes(StandardCharsets.UTF_8);
        session.answer(PomeloMessage.errorResponse(id, Unpooled.wrappedBuffer(body)));
    }
}
