package io.switchboard.gate;

/**
 * The other gates of a cluster, as resume sees them: each gate puts its number in the resume tokens it hands out, so
 * a token brought to another gate is told apart at once ({@code resumed: false}, {@link ResumeRefusal#OTHER_GATE}),
 * and that gate asks the one holding the session to release it now rather than at the end of its grace period. The
 * holder checks the whole token before it lets go ({@link GateServer#releaseParked}). A standalone gate has none.
 */
public interface OtherGates {
    /** The number of a gate that puts none in its tokens (standalone). */
    int NO_NUMBER = -1;

    /** A standalone gate: tokens name no gate, and there is nobody to ask. */
    OtherGates NONE = new OtherGates() {
        @Override
        public int selfNumber() {
            return NO_NUMBER;
        }

        @Override
        public void release(int gate, long sessionId, String token) {
        }
    };

    /**
     * This gate's number (non-negative), put in the tokens it makes, or {@link #NO_NUMBER}. Read at every handshake,
     * since a cluster gate learns its number when it registers.
     */
    int selfNumber();

    /**
     * A handshake here brought {@code token}, which gate {@code gate} made for its session {@code sessionId}: ask
     * that gate to release the session. Called on an I/O thread: must not block; nobody waits for the outcome.
     */
    void release(int gate, long sessionId, String token);
}
