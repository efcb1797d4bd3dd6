package io.switchboard.client.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a client keeps of its session across connections for a resume (DESIGN §11): the latest token the server
 * gave ({@code sys.session.resume}) and the number of pushes received on the session, over all its connections.
 * One connection at a time uses it, on its event loop; other threads only read it.
 */
public final class ResumeState {
    private volatile String token;
    private final AtomicLong received = new AtomicLong();

    /** The token to resume with, or {@code null} when the server offered none. */
    public String token() {
        return token;
    }

    /** Pushes received on the current session. */
    public long received() {
        return received.get();
    }

    void pushReceived() {
        received.incrementAndGet();
    }

    /** A handshake was answered: a fresh session starts counting from 0; a resumed one counts on. */
    void answered(String newToken, boolean resumed) {
        token = newToken;
        if (!resumed) {
            received.set(0);
        }
    }
}
