package io.switchboard.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler method of a {@link Handler} class. Its parameters may be, in any order, a
 * {@link io.switchboard.api.Session}, a {@link HandlerContext} and at most one body parameter of any
 * type the serializer reads (JsonNode, a POJO, byte[], a protobuf message). A method returning
 * {@code void} handles notifies only; any other return type answers requests (a
 * {@link java.util.concurrent.CompletionStage} is awaited), and notifies to it drop the result.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Route {
    /** The method part of the route; defaults to the Java method's name. */
    String value() default "";

    /**
     * The method neither blocks nor takes long (no I/O, no locks held for long, no waiting on futures): the gate may
     * then run it, with the filters before it, on the connection's I/O thread instead of handing it to the worker
     * pool, which saves two thread hand-offs per message. Off by default. The order of one session's messages is
     * kept either way: such a message runs on the I/O thread only when nothing of its session is queued or running
     * on the workers, and otherwise waits its turn there. A cluster node does the same on the thread of the link that
     * brought the message. See {@link Handlers#requestNonBlocking}.
     */
    boolean nonBlocking() default false;
}
