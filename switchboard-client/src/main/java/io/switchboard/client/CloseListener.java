package io.switchboard.client;

/**
 * Told once when an established connection ends (after a successful {@link SwitchboardClient#connect()}).
 * Called on the connection's event loop just before the requests still pending fail; do not block in it.
 */
@FunctionalInterface
public interface CloseListener {
    void onClose(CloseReason reason);
}
