package io.switchboard.gate.internal;

import io.switchboard.gate.ResumeRefusal;

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

    /**
     * Why a connection with {@code offered} (constant-time compared) and the client's push count {@code received}
     * may not take the session over; {@code null} when it may.
     */
    ResumeRefusal refusal(byte[] offered, long received) {
        if (!ResumeTokens.matches(secret, offered)) {
            return ResumeTokens.matches(usedSecret, offered)
                    ? ResumeRefusal.TOKEN_ALREADY_USED : ResumeRefusal.INVALID_TOKEN;
        }
        if (claimed) {
            return ResumeRefusal.TOKEN_ALREADY_USED;
        }
        if (received < 0 || received > pushes.sent()) {
            return ResumeRefusal.BAD_RECEIVED_COUNT;
        }
        return pushes.covers(received) ? null : ResumeRefusal.GAP_NOT_BUFFERED;
    }

    /** The session's connection is gone: pushes from here on are the ones it may have missed. */
    void parked() {
        sentBeforePark = pushes.sent();
    }

    /** A connection took the session over: its token gets {@code newSecret}, and the old one tells a reused token. */
    void claim(byte[] newSecret) {
        usedSecret = secret;
        secret = newSecret;
        claimed = true;
    }
}
