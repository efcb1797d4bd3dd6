package io.switchboard.cluster.protocol;

import io.switchboard.cluster.protocol.proto.Envelope;

import java.util.Objects;

import static io.switchboard.cluster.protocol.ClusterFrameLayout.MAX_UINT16;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.checkField;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.MAX_UINT32;

/**
 * An {@link Envelope} with the frame header it travels under: what {@link EnvelopeDecoder} reads and what
 * {@link EnvelopeEncoder} writes. The header fields are carried as they are; nothing here gives them meaning.
 * Plain data, nothing to release.
 *
 * @param version   uint16, {@link ClusterFrame#CURRENT_VERSION} for what we write
 * @param serviceId uint16
 * @param appId     uint32
 * @param sessionId uint32
 */
public record ClusterEnvelope(int version, int serviceId, long appId, long sessionId, Envelope envelope) {

    public ClusterEnvelope {
        checkField("version", version, MAX_UINT16);
        checkField("serviceId", serviceId, MAX_UINT16);
        checkField("appId", appId, MAX_UINT32);
        checkField("sessionId", sessionId, MAX_UINT32);
        Objects.requireNonNull(envelope, "envelope");
    }

    /** The envelope under a current-version header with the given fields. */
    public static ClusterEnvelope of(int serviceId, long appId, long sessionId, Envelope envelope) {
        return new ClusterEnvelope(ClusterFrame.CURRENT_VERSION, serviceId, appId, sessionId, envelope);
    }
}
