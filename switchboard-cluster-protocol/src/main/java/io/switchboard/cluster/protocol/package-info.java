/**
 * The cluster link between gates and nodes (DESIGN §4): seed 000's HLV frame with a 32-bit length and a
 * CRC32C trailer ({@link io.switchboard.cluster.protocol.ClusterFrameLayout}), and the Envelope protobuf it carries.
 *
 * <p>A link's pipeline is, inbound, {@link io.switchboard.cluster.protocol.ClusterFrameDecoder} then
 * {@link io.switchboard.cluster.protocol.EnvelopeDecoder} then the link handler, which receives
 * {@link io.switchboard.cluster.protocol.ClusterEnvelope}s; outbound,
 * {@link io.switchboard.cluster.protocol.EnvelopeEncoder} then
 * {@link io.switchboard.cluster.protocol.ClusterFrameEncoder}. Refused frames raise a
 * {@link io.switchboard.cluster.protocol.ClusterFrameException} and are counted through a
 * {@link io.switchboard.cluster.protocol.FrameRejectionListener}. {@link io.switchboard.cluster.protocol.Envelopes}
 * makes and reads envelopes.
 */
package io.switchboard.cluster.protocol;
