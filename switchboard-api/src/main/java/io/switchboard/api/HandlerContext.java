package io.switchboard.api;

import java.lang.reflect.Type;

/** What a handler or filter knows about the message it handles. */
public interface HandlerContext {

    Session session();

    String route();

    /** Whether the message is a request (it gets an answer) rather than a notify. */
    boolean isRequest();

    /** The request id; 0 for notifies. */
    long requestId();

    /** The raw body bytes. */
    byte[] bodyBytes();

    /**
     * The body read as {@code type} with the server's serializer; an unreadable body throws a
     * {@link io.switchboard.common.error.SwitchboardException} with {@link io.switchboard.api.errors.HandlerErrors#BAD_BODY}.
     */
    <T> T body(Class<T> type);

    Object body(Type type);

    /** Attributes for this one message, shared by the filters and the handler. */
    TypedAttributes attributes();

    /** Pushes to this message's session. */
    default void push(String route, Object body) {
        session().push(route, body);
    }
}
