package io.switchboard.client.internal;

import io.switchboard.client.CloseListener;
import io.switchboard.client.CloseReason;
import io.switchboard.client.Push;
import io.switchboard.client.PushListener;
import io.switchboard.client.ReconnectListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The push, close and reconnect listeners of one client. Listeners may be added from any thread at any time; they are
 * called on the event loop, and one that throws is logged and skipped.
 */
public final class ClientListeners {
    private static final Logger log = LoggerFactory.getLogger(ClientListeners.class);

    private final Map<String, List<PushListener>> byRoute = new ConcurrentHashMap<>();
    private final List<PushListener> everyPush = new CopyOnWriteArrayList<>();
    private final List<CloseListener> close = new CopyOnWriteArrayList<>();
    private final List<ReconnectListener> reconnect = new CopyOnWriteArrayList<>();

    public void addPushListener(String route, PushListener listener) {
        byRoute.computeIfAbsent(route, r -> new CopyOnWriteArrayList<>()).add(listener);
    }

    public void addPushListener(PushListener listener) {
        everyPush.add(listener);
    }

    public void addCloseListener(CloseListener listener) {
        close.add(listener);
    }

    public void addReconnectListener(ReconnectListener listener) {
        reconnect.add(listener);
    }

    /** Tells the listeners of the push's route, then the catch-all listeners. */
    void firePush(Push push) {
        List<PushListener> forRoute = byRoute.get(push.route());
        if (forRoute != null) {
            forRoute.forEach(listener -> firePush(listener, push));
        }
        everyPush.forEach(listener -> firePush(listener, push));
    }

    private static void firePush(PushListener listener, Push push) {
        try {
            listener.onPush(push);
        } catch (RuntimeException e) {
            log.warn("Push listener {} failed on {}", listener, push, e);
        }
    }

    public void fireClose(CloseReason reason) {
        fire(close, listener -> listener.onClose(reason), reason);
    }

    public void fireDisconnect(CloseReason reason) {
        fire(reconnect, listener -> listener.onDisconnect(reason), reason);
    }

    public void fireReconnect(boolean recovered, String reason) {
        fire(reconnect, listener -> listener.onReconnect(recovered, reason), reason);
    }

    private static <L> void fire(List<L> to, Consumer<L> call, Object what) {
        for (L listener : to) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Listener {} failed on {}", listener, what, e);
            }
        }
    }
}
