package io.switchboard.handler;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A handler method of a {@link Handler} class. Its parameters may be, in any order, a
 * {@link io.switchboard.gate.Session}, a {@link HandlerContext} and at most one body parameter of any
 * type the serializer reads (JsonNode, a POJO, byte[], a protobuf message). A method returning
 * {@code void} handles notifies only; any other return type answers requests (a
 * {@link java.util.concurrent.CompletionStage} is awaited), and notifies to it drop the result.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Route {
    /** The method part of the route; defaults to the Java method's name. */
    String value() default "";
}
