package io.switchboard.api;

/**
 * Answers a request. Returns the response body (serialized with the server's serializer; {@code byte[]} is
 * sent as is, without a copy, so it must not change once returned), or a {@link java.util.concurrent.CompletionStage} of it. Throw
 * {@link io.switchboard.common.error.SwitchboardException} to answer with an error code.
 */
@FunctionalInterface
public interface RequestHandler {
    Object handle(HandlerContext ctx) throws Exception;
}
