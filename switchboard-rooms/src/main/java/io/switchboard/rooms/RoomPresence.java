package io.switchboard.rooms;

/**
 * Implemented by sessions whose server wants to know which rooms they are in: a service node's sessions tell their
 * gate, so the gate can send {@code onRoomClosed} to a room's members when the room's node dies. Called on the
 * room's executor; must not block.
 */
public interface RoomPresence {

    void roomJoined(String roomId);

    void roomLeft(String roomId);
}
