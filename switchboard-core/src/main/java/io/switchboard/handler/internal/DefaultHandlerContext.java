package io.switchboard.handler.internal;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.Session;
import io.switchboard.api.HandlerContext;
import io.switchboard.api.TypedAttributes;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.protocol.MessageType;
import io.switchboard.serialization.Serializer;

import java.io.IOException;
import java.lang.reflect.Type;

/** The context of one message, made by the dispatcher. */
public final class DefaultHandlerContext implements HandlerContext {
    private final Session session;
    private final String route;
    private final MessageType type;
    private final long requestId;
    private final byte[] body;
    private final Serializer serializer;
    private TypedAttributes attributes;

    public DefaultHandlerContext(Session session, String route, MessageType type, long requestId, byte[] body,
                                 Serializer serializer) {
        this.session = session;
        this.route = route;
        this.type = type;
        this.requestId = requestId;
        this.body = body;
        this.serializer = serializer;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public boolean isRequest() {
        return type == MessageType.REQUEST;
    }

    @Override
    public long requestId() {
        return requestId;
    }

    @Override
    public byte[] bodyBytes() {
        return body;
    }

    @Override
    public <T> T body(Class<T> cls) {
        return cls.cast(body((Type) cls));
    }

    @Override
    public Object body(Type bodyType) {
        try {
            return serializer.decode(body, bodyType);
        } catch (IOException | RuntimeException e) {
            throw new SwitchboardException(HandlerErrors.BAD_BODY, "bad request body for " + route, e);
        }
    }

    @Override
    public synchronized TypedAttributes attributes() {
        if (attributes == null) {
            attributes = new TypedAttributes();
        }
        return attributes;
    }
}
