package io.switchboard.gate;

import java.util.Locale;

/**
 * The framings the client port speaks, told apart by a connection's first bytes (over WebSocket, by the first bytes
 * of its first binary frame). A fixed set: the {@code protocol} tag of
 * {@code switchboard_gate_connections_detected_total}.
 */
public enum ClientProtocol {
    /** Pomelo packages: the first byte is a package type, 1–5. */
    POMELO,
    /** DOMI frames (io.switchboard.protocol.domi): a big-endian u32 length first, so a first byte of 0. */
    DOMI,
    /** KIM packets (io.switchboard.protocol.kim): over TCP in KIM's frames, a first byte of 2 and a magic at byte 5. */
    KIM;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The tag value: the name in lower case. */
    public String tag() {
        return tag;
    }
}
