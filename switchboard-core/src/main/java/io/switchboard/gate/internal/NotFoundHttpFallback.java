package io.switchboard.gate.internal;

import io.switchboard.gate.HttpFallback;

/** The default {@link HttpFallback}: a one-line 404 that says how to connect. */
public final class NotFoundHttpFallback implements HttpFallback {
    public static final NotFoundHttpFallback INSTANCE = new NotFoundHttpFallback();
    private static final Answer NOT_FOUND =
            Answer.text(404, "Switchboard gate: connect with a Pomelo client over TCP or WebSocket.\n");

    private NotFoundHttpFallback() {
    }

    @Override
    public Answer handle(Request request) {
        return NOT_FOUND;
    }
}
