package io.switchboard.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloPackageEncoder;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.Varint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One generator connection: it runs the handshake, sends heartbeats at the interval the server asked for,
 * writes requests and notifies, and hands responses and pushes to the scenario. It reads messages itself,
 * straight off the package body, so that a million pushes a second allocate no route strings.
 *
 * <p>Not thread-safe: call it only on its {@link #eventLoop()}. Writes are flushed once per read batch, or
 * by {@link #flush()} when the scenario writes from a timer.
 */
public final class BenchConnection extends ChannelInboundHandlerAdapter {
    private static final byte[] HANDSHAKE = handshake("{}");
    private static final ByteBuf ACK = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) PackageType.HANDSHAKE_ACK.code(), 0, 0, 0}).asReadOnly());
    private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) PackageType.HEARTBEAT.code(), 0, 0, 0}).asReadOnly());
    private static final long HANDSHAKE_TIMEOUT_SECONDS = 15;

    /** Receives a response; {@code body} is valid only during the call. */
    public interface ResponseListener {
        void onResponse(BenchConnection connection, ByteBuf body, boolean error, long startNanos);
    }

    /** Receives a push; {@code body} is valid only during the call. */
    public interface PushListener {
        void onPush(BenchConnection connection, String route, ByteBuf body);
    }

    private static final class Pending {
        final ResponseListener listener;
        final long startNanos;

        Pending(ResponseListener listener, long startNanos) {
            this.listener = listener;
            this.startNanos = startNanos;
        }
    }

    private final boolean websocket;
    private final byte[] handshake;
    /** {@code sys.session} of the handshake answer: the session id and its resume token, if the server offers one. */
    private JsonNode session = Json.MAPPER.missingNode();
    private final CompletableFuture<BenchConnection> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final LongObjectHashMap<Pending> pending = new LongObjectHashMap<>();
    private Channel channel;
    private ServerRoutes routes = ServerRoutes.NONE;
    private int heartbeatSeconds;
    private ScheduledFuture<?> heartbeats;
    private long nextId = 1;
    private boolean dirty;
    private PushListener pushListener = (c, route, body) -> { };
    private long unexpected;
    private Object attachment;

    BenchConnection(boolean websocket) {
        this(websocket, HANDSHAKE);
    }

    BenchConnection(boolean websocket, byte[] handshake) {
        this.websocket = websocket;
        this.handshake = handshake;
    }

    /** A handshake package body with {@code userJson} as its {@code user}. */
    static byte[] handshake(String userJson) {
        return ("{\"sys\":{\"type\":\"bench\",\"version\":\"0.1\"},\"user\":" + userJson + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** {@code sys.session} of the handshake answer ({@code id}, {@code resume}, {@code resumed}); missing if none. */
    public JsonNode session() {
        return session;
    }

    /** Completes once the handshake is acknowledged; fails if the server refuses it or the link drops. */
    public CompletableFuture<BenchConnection> ready() {
        return ready;
    }

    /** Completes when the connection is closed, by either side. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public boolean isActive() {
        return channel.isActive();
    }

    /** The heartbeat interval the server announced. */
    public int heartbeatSeconds() {
        return heartbeatSeconds;
    }

    public void pushListener(PushListener listener) {
        this.pushListener = listener;
    }

    /** Scenario state carried with the connection. */
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** Requests sent and not answered yet. */
    public int inFlight() {
        return pending.size();
    }

    /** Responses and pushes that matched nothing: responses to unknown ids, compressed bodies. */
    public long unexpected() {
        return unexpected;
    }

    /**
     * Writes a request (flushed with the read batch, or by {@link #flush()}).
     *
     * @param body copied; the caller keeps it
     * @param startNanos when the request counts as sent, for the latency handed back
     */
    public void request(String route, ByteBuf body, long startNanos, ResponseListener listener) {
        long id = nextId++;
        pending.put(id, new Pending(listener, startNanos));
        write(MessageType.REQUEST, id, route, body);
    }

    /** Writes a notify; {@code body} is copied. */
    public void notify(String route, ByteBuf body) {
        write(MessageType.NOTIFY, 0, route, body);
    }

    public void flush() {
        dirty = false;
        channel.flush();
    }

    public CompletableFuture<Void> close() {
        channel.close();
        return closed;
    }

    /**
     * Vanishes as a lost network does: a TCP reset, and no WebSocket close frame (the close skips every handler
     * of the pipeline, the WebSocket one included).
     */
    public CompletableFuture<Void> abort() {
        if (!channel.isActive()) {
            return closed;
        }
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.pipeline().firstContext().close();
        return closed;
    }

    private void write(MessageType type, long id, String route, ByteBuf body) {
        int code = routes.codeOf(route);
        byte[] routeBytes = code == 0 ? route.getBytes(StandardCharsets.UTF_8) : null;
        int routeLength = code != 0 ? MessageFlags.ROUTE_CODE_LENGTH
                : MessageFlags.ROUTE_LENGTH_FIELD_LENGTH + routeBytes.length;
        int length = 1 + (type.hasId() ? Varint.length(id) : 0) + routeLength + body.readableBytes();
        ByteBuf out = channel.alloc().ioBuffer(PackageHeader.HEADER_LENGTH + length);
        PomeloPackageEncoder.writeHeader(out, PackageType.DATA, length);
        out.writeByte(MessageFlags.typeBits(type) | (code != 0 ? MessageFlags.ROUTE_COMPRESSED : 0));
        if (type.hasId()) {
            Varint.write(out, id);
        }
        if (code != 0) {
            out.writeShort(code);
        } else {
            out.writeByte(routeBytes.length);
            out.writeBytes(routeBytes);
        }
        out.writeBytes(body, body.readerIndex(), body.readableBytes());
        channel.write(out, channel.voidPromise());
        dirty = true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.executor().schedule(() -> {
            if (!ready.isDone()) {
                ready.completeExceptionally(new IOException("no handshake answer within "
                        + HANDSHAKE_TIMEOUT_SECONDS + " s"));
                ctx.close();
            }
        }, HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!websocket) {
            sendHandshake(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            sendHandshake(ctx);
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            ready.completeExceptionally(new IOException("WebSocket upgrade timed out"));
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void sendHandshake(ChannelHandlerContext ctx) {
        ByteBuf out = ctx.alloc().ioBuffer(PackageHeader.HEADER_LENGTH + handshake.length);
        PomeloPackageEncoder.writeHeader(out, PackageType.HANDSHAKE, handshake.length);
        out.writeBytes(handshake);
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PomeloPackage pkg = (PomeloPackage) msg;
        try {
            switch (pkg.type()) {
                case DATA -> data(pkg.content());
                case HANDSHAKE -> handshake(ctx, pkg.content());
                case HEARTBEAT -> { }
                case KICK -> ctx.close();
                default -> unexpected++;
            }
        } finally {
            pkg.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (dirty) {
            flush();
        }
    }

    private void handshake(ChannelHandlerContext ctx, ByteBuf body) {
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(new ByteBufInputStream(body.duplicate()));
        } catch (IOException e) {
            throw new PomeloProtocolException("handshake answer is not JSON");
        }
        int code = answer.path("code").asInt(0);
        if (code != HandshakeResponse.CODE_OK) {
            ready.completeExceptionally(new IOException("handshake refused with code " + code));
            ctx.close();
            return;
        }
        JsonNode sys = answer.path("sys");
        session = sys.path("session");
        routes = ServerRoutes.fromHandshake(sys);
        heartbeatSeconds = sys.path("heartbeat").asInt(0);
        ctx.writeAndFlush(ACK.duplicate(), ctx.voidPromise());
        if (heartbeatSeconds > 0) {
            heartbeats = ctx.executor().scheduleAtFixedRate(
                    () -> ctx.writeAndFlush(HEARTBEAT.duplicate(), ctx.voidPromise()),
                    heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
        }
        ready.complete(this);
    }

    private void data(ByteBuf in) {
        int flag = in.readUnsignedByte();
        if ((flag & MessageFlags.BODY_COMPRESSED) != 0) {
            unexpected++; // the generator never asks for compressed bodies
            return;
        }
        int type = MessageFlags.typeCode(flag);
        if (type == MessageType.RESPONSE.code()) {
            Pending p = pending.remove(Varint.read(in));
            if (p == null) {
                unexpected++;
            } else {
                p.listener.onResponse(this, in, (flag & MessageFlags.ERROR) != 0, p.startNanos);
            }
        } else if (type == MessageType.PUSH.code()) {
            String route;
            if ((flag & MessageFlags.ROUTE_COMPRESSED) != 0) {
                route = routes.routeOf(in.readUnsignedShort());
            } else {
                route = routes.readRoute(in, in.readUnsignedByte());
            }
            pushListener.onPush(this, route, in);
        } else {
            unexpected++;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        ready.completeExceptionally(new IOException("connection closed before the handshake completed"));
        closed.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ready.completeExceptionally(cause);
        ctx.close();
    }
}
