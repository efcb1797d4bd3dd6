package io.switchboard.gate.internal;

/**
 * What a resumable session keeps for its resume: the pushes a client may be missing, the secrets of its tokens and
 * where a resume stands. Made only for sessions that can be resumed (a Pomelo client on a gate with resume on), so the
 * others, and idle connections are counted in the hundred thousands, hold one {@code null} instead. Not thread-safe: its
 * session guards it.
 */
final class ResumeState {
    final PushBuffer pushes;
    /** The secret of the resume token last handed out, and the one before it (to tell a reused token). */
    byte[] secret;
    byte[] usedSecret;
    /** A new connection holds this parked session's token and waits for its handshake ack. */
    boolean claimed;
    /** The number of the last push sent before the session was parked. */
    long sentBeforePark;

    ResumeState(byte[] secret, int bufferBytes) {
        this.secret = secret;
        this.pushes = new PushBuffer(bufferBytes);
    }
}
