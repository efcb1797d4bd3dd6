package io.switchboard.api;

/** Handles a notify; there is no response. */
@FunctionalInterface
public interface NotifyHandler {
    void handle(HandlerContext ctx) throws Exception;
}
