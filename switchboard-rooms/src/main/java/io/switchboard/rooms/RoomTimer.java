package io.switchboard.rooms;

/** A scheduled task of a room or a {@link RoomScheduler}; cancel it to stop it. */
public interface RoomTimer {

    /** Stops the timer; false when it had already run (once) or been cancelled. */
    boolean cancel();

    boolean isCancelled();
}
