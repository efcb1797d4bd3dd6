package io.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.client.internal.ClientChannelInitializer;
import io.switchboard.client.internal.ClientListeners;
import io.switchboard.client.internal.ClientSettings;
import io.switchboard.client.internal.ConnectionEvents;
import io.switchboard.client.internal.PomeloClientHandler;
import io.switchboard.client.internal.ResumeState;
import io.switchboard.client.internal.ServerHandshake;
import io.switchboard.protocol.Json;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A client of a Switchboard gate, or of any server that speaks the Pomelo client protocol: seed 002's
 * {@code Client}. Built by {@link #builder(URI)}; one client is one session, used once:
 *
 * <pre>{@code
 * SwitchboardClient client = SwitchboardClient.builder(URI.create("ws://localhost:3250")).build();
 * client.onPush("chat.message", push -> System.out.println(push.json()));
 * client.connect().join();
 * Response answer = client.request("chat.room.join", json).join();
 * client.close().join();
 * }</pre>
 *
 * <p>All methods are thread-safe and none blocks. Futures complete, and listeners run, on the connection's
 * event loop: do not block there (no {@code join()} inside a callback).
 *
 * <p>Bodies are JSON by default ({@link JsonNode} in, {@link Response#json()} out) or raw bytes for other
 * serializers. The client reads zlib-compressed bodies (flag 0x10) from servers it asked for them with
 * {@code sys("compress", true)} (a compressed body it did not ask for closes the connection as a protocol error),
 * and sends its own bodies uncompressed, which every server reads. Bodies larger than
 * {@link SwitchboardClientBuilder#maxBodyLength(int)}, inflated or not, close the connection the same way; so does,
 * over WebSocket, a frame (or fragmented message) longer than a package of that body, {@code maxBodyLength} + 4
 * bytes. Routes in the server's dictionary go out as 2-byte codes.
 *
 * <p><b>Reconnect and resume.</b> By default a client is one connection: when it ends, the client is done. With
 * {@link SwitchboardClientBuilder#reconnect(ReconnectPolicy)} a connection that <em>drops</em> (closed by the server
 * or the network without a kick, heartbeat silence, an I/O error) is dialed again with exponential backoff and
 * jitter, and the new handshake asks to resume the session (DESIGN §11): {@code user.resume} = the token of the last
 * handshake answer's {@code sys.session}, {@code user.received} = {@link #pushesReceived()}. When the server resumes
 * it, the pushes sent meanwhile reach the push listeners in order and once, and the session is as it was (bound
 * user, rooms); otherwise a fresh session starts. {@link #onReconnect(ReconnectListener)} tells which. A
 * connection that drops again before the policy's {@link ReconnectPolicy#stableAfter() stableAfter} does not start
 * the attempts afresh, so the policy's limits hold against a server that keeps taking the handshake and dropping the
 * client. Requests that were waiting for their answer at the drop fail with {@link ConnectionClosedException}: they
 * may or may not have reached the server, so only the app knows whether to send them again; requests made while
 * reconnecting fail the same way at once. A kick, {@link #close()}, a handshake refused on a reconnect, or the
 * policy giving up ends the client: the close listeners are told then (and only then, once).
 */
public final class SwitchboardClient {
    private final URI target;
    private final ClientSettings settings;
    private final Dialer dialer;
    private final SslContext sslContext;
    private final EventLoopGroup sharedGroup;
    private final ReconnectPolicy reconnect;
    private final ClientListeners listeners = new ClientListeners();
    private final ResumeState resume = new ResumeState();

    private EventLoopGroup group;
    private volatile PomeloClientHandler handler;
    private CompletableFuture<Channel> dialed;
    private CompletableFuture<Void> connected;
    private CompletableFuture<Void> closed;
    private volatile ServerHandshake handshake;
    private boolean closeTold;
    // Between a drop and the next established connection (or giving up):
    private boolean reconnecting;
    private ScheduledFuture<?> retry;
    // From a drop on, through connections that drop again before the policy's stableAfter:
    private boolean dropRun;
    private int attempt;
    private long droppedAtNanos;
    private CloseReason dropReason;
    private long establishedAtNanos;

    SwitchboardClient(URI target, ClientSettings settings, Dialer dialer, SslContext sslContext,
                      EventLoopGroup sharedGroup, ReconnectPolicy reconnect) {
        this.target = target;
        this.settings = settings;
        this.dialer = dialer;
        this.sslContext = sslContext;
        this.sharedGroup = sharedGroup;
        this.reconnect = reconnect;
    }

    /**
     * Starts building a client for {@code target}: {@code tcp://host:port}, {@code tls://host:port},
     * {@code ws://host:port[/path]} or {@code wss://host[:port][/path]}.
     */
    public static SwitchboardClientBuilder builder(URI target) {
        return new SwitchboardClientBuilder(target);
    }

    public URI target() {
        return target;
    }

    /**
     * Dials, runs the Pomelo handshake and sends the handshake-ack. Completes once the ack is sent; fails with
     * {@link HandshakeRefusedException} when the server refuses the handshake (code 500 or 501), with a
     * {@link java.util.concurrent.TimeoutException} when it does not answer within the connect timeout, or
     * with the dial's failure. Calling it again returns the same future.
     */
    public synchronized CompletableFuture<Void> connect() {
        if (connected != null) {
            return connected;
        }
        connected = new CompletableFuture<>();
        if (closed != null) {
            connected.completeExceptionally(new ConnectionClosedException(CloseReason.CLOSED_BY_CLIENT));
            return connected;
        }
        group = sharedGroup != null ? sharedGroup : new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("switchboard-client", true), NioIoHandler.newFactory());
        PomeloClientHandler first = dial();
        CompletableFuture<Void> result = connected;
        dialed.whenComplete((channel, failure) -> {
            if (failure instanceof CancellationException) {
                result.completeExceptionally(new ConnectionClosedException(CloseReason.CLOSED_BY_CLIENT));
            } else if (failure != null) {
                result.completeExceptionally(failure);
            }
        });
        first.handshakeFuture().whenComplete((answer, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                handshake = answer;
                result.complete(null);
            }
        });
        return connected;
    }

    /** Dials a new connection of the session; under the lock. */
    private PomeloClientHandler dial() {
        PomeloClientHandler next = new PomeloClientHandler(settings, listeners, resume, new Connection());
        handler = next;
        DialContext context = new DialContext(target, group, settings.connectTimeout(), sslContext,
                new ClientChannelInitializer(settings, next), settings.maxBodyLength());
        try {
            dialed = Objects.requireNonNull(dialer.dial(context), "dialer returned no future");
        } catch (RuntimeException e) {
            dialed = CompletableFuture.failedFuture(e);
        }
        return next;
    }

    /** What each connection tells the client: the handshake is done, or the connection ended. */
    private final class Connection implements ConnectionEvents {
        @Override
        public void established(ServerHandshake answer, boolean askedToResume) {
            handshake = answer;
            synchronized (SwitchboardClient.this) {
                establishedAtNanos = settings.ticker().nanoTime();
                if (!reconnecting || closed != null) {
                    return;
                }
                reconnecting = false;
                retry = null;
            }
            boolean recovered = askedToResume && answer.resumed();
            listeners.fireReconnect(recovered, recovered ? SESSION_RESUMED
                    : askedToResume && answer.resumeToken() != null ? RESUME_REFUSED : NO_RESUME_OFFERED);
        }

        @Override
        public void ended(CloseReason reason) {
            if (startReconnecting(reason)) {
                listeners.fireDisconnect(reason);
                scheduleAttempt();
            } else {
                tellClosed(reason);
            }
        }
    }

    private synchronized boolean startReconnecting(CloseReason reason) {
        if (reconnect == null || closed != null || reason.kind() == CloseReason.Kind.KICKED
                || reason.kind() == CloseReason.Kind.CLOSED_BY_CLIENT) {
            return false;
        }
        reconnecting = true;
        long now = settings.ticker().nanoTime();
        // Only a connection that stayed up a while ends the run of attempts: a server that takes the handshake
        // and drops at once must not reset them each time, or maxAttempts and giveUpAfter would never be reached.
        if (!dropRun || reconnect.stable(Duration.ofNanos(now - establishedAtNanos))) {
            dropRun = true;
            attempt = 0;
            droppedAtNanos = now;
        }
        dropReason = reason;
        return true;
    }

    /** After a drop or a failed attempt: waits the backoff and dials again, or gives up. */
    private void scheduleAttempt() {
        synchronized (this) {
            if (!reconnecting || closed != null) {
                return;
            }
            attempt++;
            Duration elapsed = Duration.ofNanos(settings.ticker().nanoTime() - droppedAtNanos);
            if (reconnect.allows(attempt, elapsed)) {
                Duration wait = reconnect.backoff(attempt, ThreadLocalRandom.current().nextDouble());
                try {
                    retry = group.next().schedule(this::attemptNow, wait.toNanos(), TimeUnit.NANOSECONDS);
                    return;
                } catch (RejectedExecutionException e) {
                    // The loops are stopping: nothing more to try.
                }
            }
        }
        giveUp(new CloseReason(dropReason.kind(), dropReason.message() + "; gave up reconnecting after "
                + (attempt - 1) + " attempts"));
    }

    private void attemptNow() {
        PomeloClientHandler next;
        CompletableFuture<Channel> dialing;
        synchronized (this) {
            if (!reconnecting || closed != null) {
                return;
            }
            retry = null;
            next = dial();
            dialing = dialed;
        }
        AtomicBoolean failed = new AtomicBoolean();
        BiConsumer<Object, Throwable> onFailure = (ignored, failure) -> {
            if (failure == null || !failed.compareAndSet(false, true)) {
                return;
            }
            if (failure instanceof HandshakeRefusedException refused) {
                // The server will not take this client any more (its login expired, say): trying again is futile.
                giveUp(new CloseReason(dropReason.kind(), dropReason.message() + "; reconnect refused: "
                        + refused.getMessage()));
            } else {
                scheduleAttempt();
            }
        };
        dialing.whenComplete(onFailure);
        next.handshakeFuture().whenComplete(onFailure);
    }

    private void giveUp(CloseReason reason) {
        synchronized (this) {
            if (!reconnecting || closed != null) {
                return;
            }
            reconnecting = false;
        }
        tellClosed(reason);
    }

    /** Tells the close listeners, once in the client's life. */
    private void tellClosed(CloseReason reason) {
        synchronized (this) {
            if (closeTold) {
                return;
            }
            closeTold = true;
        }
        listeners.fireClose(reason);
    }

    /** Whether the handshake has finished and the connection is still up. */
    public boolean isConnected() {
        PomeloClientHandler h = handlerOrNull();
        return h != null && h.isReady();
    }

    /**
     * Sends a request with a JSON body. The future completes with the answer (an error response too: see
     * {@link Response#isError()}); it fails with a {@link java.util.concurrent.TimeoutException} after the
     * request timeout, and with {@link ConnectionClosedException} when the connection ends first or the client
     * is not connected.
     */
    public CompletableFuture<Response> request(String route, JsonNode body) {
        return request(route, toBytes(body));
    }

    /** Sends a request with a raw body (for servers whose serializer is not JSON). */
    public CompletableFuture<Response> request(String route, byte[] body) {
        checkRoute(route);
        Objects.requireNonNull(body, "body");
        PomeloClientHandler h = handlerOrNull();
        return h == null ? CompletableFuture.failedFuture(new ConnectionClosedException("not connected"))
                : h.request(route, body);
    }

    /** Sends a notify (no answer) with a JSON body; the future completes once it is written. */
    public CompletableFuture<Void> notify(String route, JsonNode body) {
        return notify(route, toBytes(body));
    }

    /** Sends a notify with a raw body; the future completes once it is written. */
    public CompletableFuture<Void> notify(String route, byte[] body) {
        checkRoute(route);
        Objects.requireNonNull(body, "body");
        PomeloClientHandler h = handlerOrNull();
        return h == null ? CompletableFuture.failedFuture(new ConnectionClosedException("not connected"))
                : h.notify(route, body);
    }

    /** Listens to pushes on one route. */
    public SwitchboardClient onPush(String route, PushListener listener) {
        checkRoute(route);
        listeners.addPushListener(route, Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Listens to every push, whatever its route (after the route's own listeners). */
    public SwitchboardClient onPush(PushListener listener) {
        listeners.addPushListener(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Listens for the end of the connection (kick, heartbeat timeout, closed by either side); with reconnect on,
     * for the end of the client (kick, {@link #close()}, reconnecting given up), once.
     */
    public SwitchboardClient onClose(CloseListener listener) {
        listeners.addCloseListener(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Listens to how the client gets through drops, when {@link SwitchboardClientBuilder#reconnect(ReconnectPolicy)
     * reconnect} is on: told of each drop, then whether the session was recovered on the new connection.
     */
    public SwitchboardClient onReconnect(ReconnectListener listener) {
        listeners.addReconnectListener(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * The pushes received on the current session, over all its connections: what a resume sends as
     * {@code user.received}. Back to 0 when a fresh session starts.
     */
    public long pushesReceived() {
        return resume.received();
    }

    /** The server's handshake answer, or {@code null} before {@link #connect()} has completed. */
    public JsonNode handshakeResponse() {
        ServerHandshake answer = handshake;
        return answer == null ? null : answer.raw();
    }

    /** The heartbeat interval the server asked for ({@link Duration#ZERO}: none), or {@code null} before. */
    public Duration heartbeatInterval() {
        ServerHandshake answer = handshake;
        return answer == null ? null : Duration.ofSeconds(answer.heartbeatSeconds());
    }

    /** The route dictionary the server sent, to hand to a later client's builder; empty before connecting. */
    public Map<String, Integer> routeDictionary() {
        ServerHandshake answer = handshake;
        return answer == null ? Map.of() : answer.routeToCode();
    }

    /** The server's dictionary version, or {@code null}. */
    public String routeDictionaryVersion() {
        ServerHandshake answer = handshake;
        return answer == null ? null : answer.dictVersion();
    }

    /**
     * Closes the connection, and stops reconnecting. Pending requests fail with {@link ConnectionClosedException};
     * close listeners are told {@link CloseReason#CLOSED_BY_CLIENT} (unless they were told the end already). Completes once the connection is gone and, when the client made
     * its own event loop, that loop has stopped. Calling it again returns the same future.
     */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> result;
        PomeloClientHandler h;
        EventLoopGroup loops;
        CompletableFuture<Channel> dialing;
        boolean wasReconnecting;
        synchronized (this) {
            if (closed != null) {
                return closed;
            }
            closed = new CompletableFuture<>();
            result = closed;
            if (dialed == null) {
                result.complete(null);
                return result;
            }
            wasReconnecting = reconnecting;
            reconnecting = false;
            if (retry != null) {
                retry.cancel(false);
            }
            h = handler;
            loops = group;
            dialing = dialed;
        }
        // A dial still under way is abandoned: the dialer closes whatever it opened.
        dialing.cancel(false);
        dialing.handle((channel, failure) -> channel)
                .thenCompose(channel -> {
                    if (channel == null) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (!h.isAttached()) {
                        // A dialer that broke its contract and never added the handler: just drop the channel.
                        CompletableFuture<Void> gone = new CompletableFuture<>();
                        channel.close().addListener(f -> gone.complete(null));
                        return gone;
                    }
                    h.close(CloseReason.CLOSED_BY_CLIENT);
                    return h.closeFuture().thenAccept(reason -> { });
                })
                .whenComplete((gone, failure) -> {
                    if (wasReconnecting) {
                        tellClosed(CloseReason.CLOSED_BY_CLIENT);
                    }
                    if (loops == sharedGroup) {
                        result.complete(null);
                        return;
                    }
                    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(stopped -> result.complete(null));
                });
        return result;
    }

    static final String SESSION_RESUMED = "session resumed";
    static final String RESUME_REFUSED = "the server could not resume the session";
    static final String NO_RESUME_OFFERED = "the server offers no resume";

    private PomeloClientHandler handlerOrNull() {
        return handler;
    }

    private static byte[] toBytes(JsonNode body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body == null ? Json.MAPPER.nullNode() : body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body cannot be written as JSON", e);
        }
    }

    private static void checkRoute(String route) {
        if (route == null || route.isEmpty()) {
            throw new IllegalArgumentException("route must not be empty");
        }
    }

    @Override
    public String toString() {
        return "SwitchboardClient(" + target + (isConnected() ? ", connected" : "") + ")";
    }
}
