package io.switchboard.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the calls a registration makes, as {@code lost}, {@code changed 3->5} and {@code restored}; safe to read
 * from the test thread while the registry calls it. Shared with the registry modules' tests through the test jar.
 */
public final class RecordingRegistrationListener implements RegistrationListener {

    public final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onLost(Registration registration) {
        calls.add("lost");
    }

    @Override
    public void onNodeIdChanged(Registration registration, int previousNodeId, int newNodeId) {
        calls.add("changed " + previousNodeId + "->" + newNodeId);
    }

    @Override
    public void onRestored(Registration registration) {
        calls.add("restored");
    }
}
