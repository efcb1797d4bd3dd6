package io.switchboard.registry.spi;

import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.RecordingRegistrationListener;
import io.switchboard.registry.Registration;
import io.switchboard.registry.RegistrationListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The losses every registration shares, driven by hand as a registry with a remote store drives them. The in-memory
 * registry's registrations serve: they never lose a node on their own. Updates and deregistration are covered by
 * the registries' contract tests.
 */
class RegistrationBaseTest {

    private final MemoryRegistry registry = new MemoryRegistry();
    private final RegistrationBase registration =
            (RegistrationBase) registry.register(NodeInfo.builder("chat-1", "chat").build()).join();

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void aListenerAddedWhileLostHearsTheLossAtOnceAndThenTheRestoration() {
        RecordingRegistrationListener early = new RecordingRegistrationListener();
        registration.addListener(early);
        registration.markLost();
        RecordingRegistrationListener late = new RecordingRegistrationListener();

        registration.addListener(late);

        assertThat(late.calls).containsExactly("lost");
        assertThat(early.calls).containsExactly("lost");
        registration.markRestored(registration.nodeId());
        assertThat(late.calls).containsExactly("lost", "restored");
        assertThat(early.calls).containsExactly("lost", "restored");
    }

    @Test
    void aListenerAddedWhileNotLostHearsNothing() {
        RecordingRegistrationListener before = new RecordingRegistrationListener();
        registration.addListener(before);
        registration.markLost();
        registration.markRestored(registration.nodeId());

        RecordingRegistrationListener after = new RecordingRegistrationListener();
        registration.addListener(after);

        assertThat(after.calls).isEmpty();
        assertThat(before.calls).containsExactly("lost", "restored");
    }

    @Test
    void aFailingLateListenerDoesNotFailTheAdd() {
        registration.markLost();

        registration.addListener(new RegistrationListener() {
            @Override
            public void onLost(Registration lost) {
                throw new IllegalStateException("a listener failing on purpose");
            }
        });

        assertThat(registration.isLost()).isTrue();
    }

    @Test
    void aRemovedListenerAndADeregisteredRegistrationHearNoLoss() {
        RecordingRegistrationListener removed = new RecordingRegistrationListener();
        registration.addListener(removed);
        registration.removeListener(removed);
        registration.markLost();
        registration.markRestored(registration.nodeId());
        assertThat(removed.calls).isEmpty();

        RecordingRegistrationListener listener = new RecordingRegistrationListener();
        registration.addListener(listener);
        registration.deregister().join();
        registration.markLost();

        assertThat(listener.calls).isEmpty();
        assertThat(registration.isLost()).isFalse();
    }
}
