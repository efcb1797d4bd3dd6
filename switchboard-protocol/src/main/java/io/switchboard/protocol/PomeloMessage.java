package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

import java.util.Objects;

/**
 * A message inside a data package: its type, id (requests and responses), route (requests, notifies and
 * pushes) and body. The body is always uncompressed here: compression is the codec's business.
 * Reference-counted through its body.
 */
public final class PomeloMessage extends DefaultByteBufHolder {
    private final MessageType type;
    private final long id;
    private final String route;
    private final boolean error;

    private PomeloMessage(MessageType type, long id, String route, boolean error, ByteBuf body) {
        super(body);
        this.type = Objects.requireNonNull(type, "type");
        if (type.hasRoute()) {
            Objects.requireNonNull(route, "route");
        }
        if (id < 0) {
            throw new IllegalArgumentException("message id must not be negative: " + id);
        }
        this.id = id;
        this.route = type.hasRoute() ? route : null;
        this.error = error;
    }

    public static PomeloMessage request(long id, String route, ByteBuf body) {
        return new PomeloMessage(MessageType.REQUEST, id, route, false, body);
    }

    public static PomeloMessage notify(String route, ByteBuf body) {
        return new PomeloMessage(MessageType.NOTIFY, 0, route, false, body);
    }

    public static PomeloMessage response(long id, ByteBuf body) {
        return new PomeloMessage(MessageType.RESPONSE, id, null, false, body);
    }

    /** A response with the error bit set; the body is {@code {"code":..,"msg":".."}}. */
    public static PomeloMessage errorResponse(long id, ByteBuf body) {
        return new PomeloMessage(MessageType.RESPONSE, id, null, true, body);
    }

    public static PomeloMessage push(String route, ByteBuf body) {
        return new PomeloMessage(MessageType.PUSH, 0, route, false, body);
    }

    /** Used by the decoder, which has read every field off the wire. */
    static PomeloMessage of(MessageType type, long id, String route, boolean error, ByteBuf body) {
        return new PomeloMessage(type, id, route, error, body == null ? Unpooled.EMPTY_BUFFER : body);
    }

    public MessageType type() {
        return type;
    }

    /** The message id; 0 for notifies and pushes. */
    public long id() {
        return id;
    }

    /** The route, or {@code null} for responses. */
    public String route() {
        return route;
    }

    /** Whether this is an error response (flag bit 5). */
    public boolean isError() {
        return error;
    }

    @Override
    public PomeloMessage replace(ByteBuf content) {
        return new PomeloMessage(type, id, route, error, content);
    }

    @Override
    public PomeloMessage retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return "PomeloMessage(" + type + (type.hasId() ? " #" + id : "") + (route != null ? " " + route : "")
                + (error ? " error" : "") + ", " + content().readableBytes() + "B)";
    }
}
