package io.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.client.CloseReason;
import io.switchboard.client.ConnectionClosedException;
import io.switchboard.client.HandshakeRefusedException;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.common.time.Ticker;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageDecoder;
import io.switchboard.protocol.PomeloMessageEncoder;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client connection, last in its pipeline: sends the handshake as soon as the transport is up, reads the
 * answer (dictionary, heartbeat interval), acknowledges it, then sends heartbeats, matches responses to
 * requests by id and hands pushes to the listeners.
 *
 * <p>A periodic tick on the event loop drives everything that depends on time, read from the injected
 * {@link Ticker}: the handshake deadline, heartbeats, the heartbeat timeout (nothing heard for twice the
 * interval) and request timeouts. All state is confined to the event loop; the public methods hop onto it.
 */
public final class PomeloClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PomeloClientHandler.class);

    private enum State { NEW, HANDSHAKING, READY, CLOSED }

    /** How the close reason starts when the client gave up on a server that stopped reading. */
    public static final String SERVER_NOT_READING = "the server stopped reading";

    private final ClientSettings settings;
    private final ClientListeners listeners;
    private final ResumeState resume;
    private final ConnectionEvents events;
    private final Ticker ticker;
    private final PendingRequests pending;
    private final CompletableFuture<ServerHandshake> handshakeFuture = new CompletableFuture<>();
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();

    private volatile ChannelHandlerContext ctx;
    private volatile State state = State.NEW;
    private CloseReason closeReason;
    private ScheduledFuture<?> tick;
    private long handshakeStartNanos;
    private long lastReadNanos;
    private long lastHeartbeatNanos;
    private long heartbeatNanos;
    private boolean askedToResume;

    /** A connection on its own: it tells the close listeners when it ends, and resumes nothing. */
    public PomeloClientHandler(ClientSettings settings, ClientListeners listeners) {
        this(settings, listeners, new ResumeState(), listeners::fireClose);
    }

    /**
     * A connection of a session: its handshake asks to resume with {@code resume}'s token when there is one, it
     * counts the pushes it receives there, and it tells {@code events} when it is established and when it ends.
     */
    public PomeloClientHandler(ClientSettings settings, ClientListeners listeners, ResumeState resume,
                               ConnectionEvents events) {
        this.settings = settings;
        this.listeners = listeners;
        this.resume = resume;
        this.events = events;
        this.ticker = settings.ticker();
        this.pending = new PendingRequests(settings.requestTimeout());
    }

    /** Completes with the server's answer once the handshake-ack is sent; fails if the handshake does not. */
    public CompletableFuture<ServerHandshake> handshakeFuture() {
        return handshakeFuture;
    }

    /** Completes once the connection is gone, pending requests failed and close listeners told. */
    public CompletableFuture<CloseReason> closeFuture() {
        return closeFuture;
    }

    /** Whether the handler has been added to a pipeline. */
    public boolean isAttached() {
        return ctx != null;
    }

    public boolean isReady() {
        return state == State.READY;
    }

    /** Sends a request; the future completes with its answer, or fails on timeout or when the connection ends. */
    public CompletableFuture<Response> request(String route, byte[] body) {
        CompletableFuture<Response> future = new CompletableFuture<>();
        onEventLoop(future, () -> {
            if (!canSend()) {
                future.completeExceptionally(notReady());
                return;
            }
            long id = pending.add(route, future, ticker.nanoTime());
            ctx.writeAndFlush(PomeloMessage.request(id, route, Unpooled.wrappedBuffer(body))).addListener(write -> {
                if (!write.isSuccess()) {
                    pending.fail(id, writeFailed(write.cause()));
                }
            });
            checkBacklog();
        });
        return future;
    }

    /** Sends a notify; the future completes once it is written. */
    public CompletableFuture<Void> notify(String route, byte[] body) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        onEventLoop(future, () -> {
            if (!canSend()) {
                future.completeExceptionally(notReady());
                return;
            }
            ctx.writeAndFlush(PomeloMessage.notify(route, Unpooled.wrappedBuffer(body))).addListener(write -> {
                if (write.isSuccess()) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(writeFailed(write.cause()));
                }
            });
            checkBacklog();
        });
        return future;
    }

    /** Closes the connection for {@code reason}, unless it is already closing for another. */
    public void close(CloseReason reason) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        try {
            c.executor().execute(() -> closeWith(reason));
        } catch (RejectedExecutionException e) {
            // The event loop is gone, and the channel with it.
        }
    }

    private void onEventLoop(CompletableFuture<?> future, Runnable task) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            future.completeExceptionally(new ConnectionClosedException("not connected"));
            return;
        }
        try {
            c.executor().execute(task);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new ConnectionClosedException(CloseReason.CONNECTION_CLOSED));
        }
    }

    /**
     * Whether a request or notify may go out: not once the connection is closing, whose channel is gone already
     * but whose end is told only later; writes queued meanwhile would only be encoded to fail.
     */
    private boolean canSend() {
        return state == State.READY && closeReason == null;
    }

    private IOException notReady() {
        return state == State.CLOSED || closeReason != null
                ? new ConnectionClosedException(closeReason == null ? CloseReason.CONNECTION_CLOSED : closeReason)
                : new ConnectionClosedException("not connected: the handshake has not finished");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        } else if (!ctx.channel().isOpen()) {
            closed();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start();
        super.channelActive(ctx);
    }

    private void start() {
        if (state != State.NEW) {
            return;
        }
        state = State.HANDSHAKING;
        long now = ticker.nanoTime();
        handshakeStartNanos = now;
        lastReadNanos = now;
        long tickNanos = settings.tickInterval().toNanos();
        tick = ctx.executor().scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        String token = resume.token();
        askedToResume = token != null;
        byte[] body = settings.handshakeBody(token, resume.received());
        ctx.writeAndFlush(new PomeloPackage(PackageType.HANDSHAKE, Unpooled.wrappedBuffer(body)))
                .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            lastReadNanos = ticker.nanoTime();
            if (msg instanceof PomeloMessage message) {
                onMessage(message);
            } else if (msg instanceof PomeloPackage pkg) {
                onPackage(pkg);
            } else {
                log.debug("Ignoring unexpected inbound {}", msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onPackage(PomeloPackage pkg) {
        switch (pkg.type()) {
            case HANDSHAKE -> onHandshake(ByteBufUtil.getBytes(pkg.content()));
            case HEARTBEAT -> { } // Proof of life only: lastReadNanos already moved.
            case KICK -> closeWith(CloseReason.kicked(kickReason(ByteBufUtil.getBytes(pkg.content()))));
            default -> log.debug("Ignoring {} from the server", pkg);
        }
    }

    private void onHandshake(byte[] body) {
        if (state != State.HANDSHAKING) {
            log.debug("Ignoring a second handshake answer");
            return;
        }
        ServerHandshake answer = ServerHandshake.parse(body);
        if (!answer.accepted()) {
            failHandshake(new HandshakeRefusedException(answer.code()));
            return;
        }
        useRoutes(answer);
        heartbeatNanos = TimeUnit.SECONDS.toNanos(answer.heartbeatSeconds());
        lastHeartbeatNanos = ticker.nanoTime();
        state = State.READY;
        // Before any push is read: a fresh session counts its pushes from 0, a resumed one (replay first) counts on.
        resume.answered(answer.resumeToken(), askedToResume && answer.resumed());
        ctx.writeAndFlush(PomeloPackage.empty(PackageType.HANDSHAKE_ACK)).addListener(write -> {
            if (write.isSuccess()) {
                handshakeFuture.complete(answer);
            } else {
                failHandshake(write.cause());
            }
        });
        if (!handshakeFuture.isCompletedExceptionally()) {
            events.established(answer, askedToResume);
        }
    }

    /** Routes go out as codes, and come in decoded, with the server's dictionary (or the one already held). */
    private void useRoutes(ServerHandshake answer) {
        RouteCodes routes = RouteCodes.of(answer.routeToCode());
        ClientSettings.KnownRoutes known = settings.knownRoutes();
        if (!answer.hasDictionary() && known != null && known.version().equals(answer.dictVersion())) {
            routes = RouteCodes.of(known.routeToCode());
        }
        if (routes.isEmpty()) {
            return;
        }
        PomeloMessageEncoder encoder = ctx.pipeline().get(PomeloMessageEncoder.class);
        PomeloMessageDecoder decoder = ctx.pipeline().get(PomeloMessageDecoder.class);
        if (routes.dictionary() != null) {
            encoder.dictionary(routes.dictionary());
            decoder.dictionary(routes.dictionary());
        } else {
            ctx.pipeline().addBefore(ctx.pipeline().context(decoder).name(), ClientChannelInitializer.ROUTE_EXPANDER,
                    new RouteCodeExpander(routes));
        }
    }

    private void onMessage(PomeloMessage message) {
        if (state != State.READY) {
            log.debug("Ignoring {} before the handshake finished", message);
            return;
        }
        if (message.type() == MessageType.RESPONSE) {
            Response response = new Response(message.id(), ByteBufUtil.getBytes(message.content()), message.isError());
            if (!pending.complete(response)) {
                log.debug("No request waits for {} (timed out?)", response);
            }
        } else if (message.type() == MessageType.PUSH) {
            resume.pushReceived();
            listeners.firePush(new Push(message.route(), ByteBufUtil.getBytes(message.content())));
        } else {
            log.debug("Ignoring {}: servers send only responses and pushes", message);
        }
    }

    private static String kickReason(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json != null && json.hasNonNull("reason")) {
                return json.get("reason").asText();
            }
        } catch (IOException e) {
            // Not JSON: the text is the reason.
        }
        return text.isEmpty() ? "kicked" : text;
    }

    private void tick() {
        long now = ticker.nanoTime();
        if (state == State.HANDSHAKING
                && now - handshakeStartNanos >= settings.connectTimeout().toNanos()) {
            failHandshake(new TimeoutException("no handshake answer within "
                    + settings.connectTimeout().toMillis() + " ms"));
            return;
        }
        if (state != State.READY) {
            return;
        }
        if (heartbeatNanos > 0) {
            if (now - lastReadNanos > 2 * heartbeatNanos) {
                closeWith(CloseReason.HEARTBEAT_TIMEOUT);
                return;
            }
            if (now - lastHeartbeatNanos >= heartbeatNanos) {
                lastHeartbeatNanos = now;
                ctx.writeAndFlush(PomeloPackage.empty(PackageType.HEARTBEAT))
                        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
                checkBacklog();
            }
        }
        pending.expire(now);
    }

    private void failHandshake(Throwable cause) {
        if (handshakeFuture.completeExceptionally(cause)) {
            closeWith(CloseReason.protocolError("handshake failed: " + cause.getMessage()));
        }
    }

    /**
     * Gives the connection up once more than {@link ClientSettings#maxPendingWriteBytes()} wait to be written: a
     * server that stops reading must not make the client buffer requests without bound. Pings are answered only
     * while the channel is writable, so only the client's own writes can get here.
     */
    private void checkBacklog() {
        Channel channel = ctx.channel();
        // Unwritable means above the high water mark; the bytes pending are then bytesBeforeWritable() above the low.
        if (channel.isActive() && !channel.isWritable()
                && channel.bytesBeforeWritable() + channel.config().getWriteBufferLowWaterMark()
                > settings.maxPendingWriteBytes()) {
            if (closeReason == null) {
                closeReason = new CloseReason(CloseReason.Kind.CONNECTION_CLOSED, SERVER_NOT_READING + " (over "
                        + settings.maxPendingWriteBytes() + " bytes waiting to be written)");
            }
            // Closed from the pipeline's first handler, past every other: a WebSocket close frame, queued behind
            // all that backlog, would hold the connection (and let it take more writes) until Netty's timeout.
            ctx.pipeline().firstContext().close();
        }
    }

    private void closeWith(CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Closing {} after an error", ctx.channel(), cause);
        Throwable root = cause.getCause() instanceof PomeloProtocolException ? cause.getCause() : cause;
        String what = root instanceof PomeloProtocolException protocol ? protocol.reason() : String.valueOf(root);
        if (state == State.HANDSHAKING) {
            failHandshake(root);
        }
        closeWith(CloseReason.protocolError(what));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed();
        super.channelInactive(ctx);
    }

    private void closed() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasReady = state == State.READY;
        state = State.CLOSED;
        if (tick != null) {
            tick.cancel(false);
        }
        CloseReason reason = closeReason != null ? closeReason : CloseReason.CONNECTION_CLOSED;
        closeReason = reason;
        ConnectionClosedException closed = new ConnectionClosedException(reason);
        // Listeners hear of the end before the requests fail, so whoever waits on a request finds it told.
        if (wasReady && handshakeFuture.isDone() && !handshakeFuture.isCompletedExceptionally()) {
            events.ended(reason);
        }
        handshakeFuture.completeExceptionally(closed);
        pending.failAll(closed);
        closeFuture.complete(reason);
    }

    /** A write that failed never reached the server whole: to the caller, the connection closed under it. */
    private static ConnectionClosedException writeFailed(Throwable cause) {
        ConnectionClosedException closed = new ConnectionClosedException(CloseReason.CONNECTION_CLOSED);
        closed.initCause(cause);
        return closed;
    }
}
