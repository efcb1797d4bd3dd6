package io.switchboard.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.client.internal.ClientChannelInitializer;
import io.switchboard.client.internal.ClientListeners;
import io.switchboard.client.internal.ClientSettings;
import io.switchboard.client.internal.PomeloClientHandler;
import io.switchboard.client.internal.ServerHandshake;
import io.switchboard.protocol.Json;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client of a Switchboard gate, or of any server that speaks the Pomelo client protocol: seed 002's
 * {@code Client}. Built by {@link #builder(URI)}; one client is one connection, used once:
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
 * {@code sys("compress", true)}, and sends its own bodies uncompressed, which every server reads. Routes in the
 * server's dictionary go out as 2-byte codes.
 */
public final class SwitchboardClient {
    private final URI target;
    private final ClientSettings settings;
    private final Dialer dialer;
    private final SslContext sslContext;
    private final EventLoopGroup sharedGroup;
    private final ClientListeners listeners = new ClientListeners();

    private EventLoopGroup group;
    private volatile PomeloClientHandler handler;
    private CompletableFuture<Channel> dialed;
    private CompletableFuture<Void> connected;
    private CompletableFuture<Void> closed;
    private volatile ServerHandshake handshake;

    SwitchboardClient(URI target, ClientSettings settings, Dialer dialer, SslContext sslContext,
                      EventLoopGroup sharedGroup) {
        this.target = target;
        this.settings = settings;
        this.dialer = dialer;
        this.sslContext = sslContext;
        this.sharedGroup = sharedGroup;
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
        handler = new PomeloClientHandler(settings, listeners);
        DialContext context = new DialContext(target, group, settings.connectTimeout(), sslContext,
                new ClientChannelInitializer(handler));
        try {
            dialed = Objects.requireNonNull(dialer.dial(context), "dialer returned no future");
        } catch (RuntimeException e) {
            dialed = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> result = connected;
        dialed.whenComplete((channel, failure) -> {
            if (failure instanceof CancellationException) {
                result.completeExceptionally(new ConnectionClosedException(CloseReason.CLOSED_BY_CLIENT));
            } else if (failure != null) {
                result.completeExceptionally(failure);
            }
        });
        handler.handshakeFuture().whenComplete((answer, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                handshake = answer;
                result.complete(null);
            }
        });
        return connected;
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

    /** Listens for the end of the connection (kick, heartbeat timeout, closed by either side). */
    public SwitchboardClient onClose(CloseListener listener) {
        listeners.addCloseListener(Objects.requireNonNull(listener, "listener"));
        return this;
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
     * Closes the connection. Pending requests fail with {@link ConnectionClosedException}; close listeners are
     * told {@link CloseReason#CLOSED_BY_CLIENT}. Completes once the connection is gone and, when the client made
     * its own event loop, that loop has stopped. Calling it again returns the same future.
     */
    public synchronized CompletableFuture<Void> close() {
        if (closed != null) {
            return closed;
        }
        closed = new CompletableFuture<>();
        CompletableFuture<Void> result = closed;
        if (dialed == null) {
            result.complete(null);
            return result;
        }
        PomeloClientHandler h = handler;
        EventLoopGroup loops = group;
        // A dial still under way is abandoned: the dialer closes whatever it opened.
        dialed.cancel(false);
        dialed.handle((channel, failure) -> channel)
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
                    if (loops == sharedGroup) {
                        result.complete(null);
                        return;
                    }
                    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(stopped -> result.complete(null));
                });
        return result;
    }

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
