package io.switchboard.client;

/**
 * Receives pushes. Called on the connection's event loop, one push at a time in arrival order: do not block
 * in it, hand slow work to another thread. An exception it throws is logged and does not close the connection.
 */
@FunctionalInterface
public interface PushListener {
    void onPush(Push push);
}
