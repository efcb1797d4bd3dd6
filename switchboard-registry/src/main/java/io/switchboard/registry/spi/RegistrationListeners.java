package io.switchboard.registry.spi;

import io.switchboard.registry.RegistrationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The listeners of one registration; a failing listener is logged and does not stop the others. */
public final class RegistrationListeners {

    private static final Logger logger = LoggerFactory.getLogger(RegistrationListeners.class);

    private final CopyOnWriteArrayList<RegistrationListener> listeners = new CopyOnWriteArrayList<>();

    public void add(RegistrationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void remove(RegistrationListener listener) {
        listeners.remove(listener);
    }

    /** Calls every listener. */
    public void fire(Consumer<RegistrationListener> call) {
        for (RegistrationListener listener : listeners) {
            call(listener, call);
        }
    }

    /** Calls one listener, logging its failure. */
    public static void call(RegistrationListener listener, Consumer<RegistrationListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            logger.warn("Registration listener {} failed", listener, e);
        }
    }
}
