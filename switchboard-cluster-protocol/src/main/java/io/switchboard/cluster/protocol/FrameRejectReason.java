package io.switchboard.cluster.protocol;

/** Why a cluster frame was refused. Every reason ends the link: after one, framing can no longer be trusted. */
public enum FrameRejectReason {
    /** The head field was not 0x0000: the stream is not (or no longer) cluster frames. */
    BAD_HEAD,
    /** The len field was below {@link ClusterFrameLayout#MIN_LENGTH_FIELD_VALUE}. */
    LENGTH_TOO_SMALL,
    /** The len field announced a frame above the decoder's maximum; refused before buffering it. */
    FRAME_TOO_LARGE,
    /** The crc did not match the bytes before it. */
    BAD_CRC,
    /** The input ended inside a frame. */
    TRUNCATED,
    /** The frame was sound but its data was not a valid Envelope. */
    MALFORMED_ENVELOPE,
    /** The app_id was not this cluster's project ({@link FrameAddressCheck}). */
    WRONG_APP_ID,
    /** The service_id was not the service the link's peer declared in its HELLO. */
    WRONG_SERVICE_ID,
    /** The session_id did not match the session of the envelope it carried. */
    WRONG_SESSION_ID
}
