package io.switchboard.rooms;

/**
 * Handles one client message in a room (DOMI's {@code group.HandleFunc}). Runs on the room's executor, one message
 * at a time, so it may read and change the room without locks. Returns the response body for requests (or a
 * {@link java.util.concurrent.CompletionStage} of it; ignored for notifies). Throw a
 * {@link io.switchboard.common.error.SwitchboardException} to answer with an error code; any other exception is
 * logged and the room goes on. Must not block: use {@link Room#offload}.
 */
@FunctionalInterface
public interface RoomHandler {
    Object handle(RoomMessage message) throws Exception;
}
