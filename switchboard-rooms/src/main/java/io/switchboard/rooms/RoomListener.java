package io.switchboard.rooms;

/** Told about membership and closing; runs on the room's executor, like its handlers. */
public interface RoomListener {

    /** {@code member} joined. */
    default void joined(Room room, RoomMember member) {
    }

    /** {@code member} left: removed, replaced by a newer session of the same user, or its session closed. */
    default void left(Room room, RoomMember member, String reason) {
    }

    /** The room closed; its members have been told with an {@code onRoomClosed} push. */
    default void closed(Room room, String reason) {
    }
}
