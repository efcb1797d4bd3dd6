package io.switchboard.cluster.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.cluster.protocol.proto.Control;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.EnvelopeExtensions;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.ErrorCode;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Makes and reads {@link Envelope}s. Accessors of absent fields return the protobuf default (0, empty); ask
 * {@code envelope.hasX()} where absence matters.
 *
 * <p>Hop timestamps are wall-clock microseconds since the Unix epoch: processes on different machines share no
 * other clock, and milliseconds are too coarse for hops inside one data centre.
 */
public final class Envelopes {
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long NANOS_PER_MICRO = 1_000L;
    private static final int IPV4_LENGTH = 4;
    private static final int IPV6_LENGTH = 16;
    private static final int PORT_LENGTH = 2;

    /**
     * The most bytes an envelope may serialize to and still go out on a link of the default frame size, with room
     * for the hop timestamp the {@link EnvelopeEncoder} appends as it leaves.
     */
    public static final int MAX_SERIALIZED_SIZE = ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH
            - ClusterFrameLayout.FRAME_OVERHEAD
            - CodedOutputStream.computeUInt64Size(Envelope.TIMESTAMP_FIELD_NUMBER, Long.MAX_VALUE);

    private Envelopes() {
    }

    /**
     * Every Switchboard extension of {@link io.switchboard.cluster.protocol.proto.SeedEnvelope}, for a peer that reads
     * envelopes as seed 000 defines them. Unmodifiable.
     */
    public static ExtensionRegistry seedExtensionRegistry() {
        return SeedExtensions.REGISTRY;
    }

    /** Made on first use: Switchboard itself never needs it. */
    private static final class SeedExtensions {
        static final ExtensionRegistry REGISTRY = newExtensionRegistry();

        private static ExtensionRegistry newExtensionRegistry() {
            ExtensionRegistry registry = ExtensionRegistry.newInstance();
            EnvelopeExtensions.registerAllExtensions(registry);
            return registry.getUnmodifiable();
        }
    }

    /** Parses a serialized envelope, Switchboard's fields included. */
    public static Envelope parse(byte[] serialized) throws InvalidProtocolBufferException {
        return Envelope.parseFrom(serialized);
    }

    /**
     * Parses the buffer's readable bytes (a link frame's content), leaving its indexes as they are: in place from a
     * heap buffer's array; a direct buffer's bytes are copied to an array first. Never through protobuf's decoder of a
     * direct {@code ByteBuffer}: it reads the memory with {@code Unsafe}, and a fuzzed frame (a varint running to the
     * frame's end) made it read past the buffer and crash the JVM. Bytes fields are copied out, never aliased.
     */
    public static Envelope parse(ByteBuf data) throws InvalidProtocolBufferException {
        int length = data.readableBytes();
        CodedInputStream input = data.hasArray()
                ? CodedInputStream.newInstance(data.array(), data.arrayOffset() + data.readerIndex(), length)
                : CodedInputStream.newInstance(ByteBufUtil.getBytes(data));
        return Envelope.parser().parseFrom(input);
    }

    /**
     * Whether {@code envelope} fits in a link's frame ({@link #MAX_SERIALIZED_SIZE}). Protobuf keeps the size it
     * computes, so asking before a send costs the encoder nothing more.
     */
    public static boolean fitsInFrame(Envelope envelope) {
        return envelope.getSerializedSize() <= MAX_SERIALIZED_SIZE;
    }

    /** A builder for an envelope of any kind, for fields the factories below do not take. */
    public static EnvelopeBuilder builder(Kind kind) {
        return new EnvelopeBuilder(kind);
    }

    /** A client request, answered by a {@link #response} with the same request id. */
    public static Envelope request(long requestId, String route, String userId, ByteString payload) {
        return builder(Kind.REQUEST).requestId(requestId).route(route).userId(userId).payload(payload).build();
    }

    public static Envelope response(long requestId, ByteString payload) {
        return builder(Kind.RESPONSE).requestId(requestId).payload(payload).build();
    }

    /** A failed response: a uint32 code of the error-code plan and a UTF-8 message. */
    public static Envelope errorResponse(long requestId, long errorCode, String errorInfo) {
        return builder(Kind.RESPONSE).requestId(requestId).error(errorCode, errorInfo).build();
    }

    /** A failed response with the code's default message. */
    public static Envelope errorResponse(long requestId, ErrorCode errorCode) {
        return builder(Kind.RESPONSE).requestId(requestId).error(errorCode).build();
    }

    /** A client message that expects no answer. */
    public static Envelope notify(String route, String userId, ByteString payload) {
        return builder(Kind.NOTIFY).route(route).userId(userId).payload(payload).build();
    }

    /** A server message for one user. */
    public static Envelope push(String route, String userId, ByteString payload) {
        return builder(Kind.PUSH).route(route).userId(userId).payload(payload).build();
    }

    /** One server message for many sessions of the receiving gate. */
    public static Envelope broadcast(String route, long[] targetSessionIds, ByteString payload) {
        return builder(Kind.BROADCAST).route(route).targetSessionIds(targetSessionIds).payload(payload).build();
    }

    /** The first envelope on a new link: who the sender is. */
    public static Envelope hello(int nodeId, String nodeType) {
        return control(nodeId, control(ControlType.HELLO, nodeId).setNodeType(nodeType));
    }

    /** A HELLO carrying the sender's challenge, for a peer that holds the cluster secret to MAC. */
    public static Envelope hello(int nodeId, String nodeType, byte[] nonce) {
        return control(nodeId, control(ControlType.HELLO, nodeId).setNodeType(nodeType)
                .setNonce(ByteString.copyFrom(nonce)));
    }

    /** The sender's answer to the peer's challenge; {@code proof} is {@code null} when it has no secret. */
    public static Envelope auth(int nodeId, byte[] proof) {
        Control.Builder control = control(ControlType.AUTH, nodeId);
        if (proof != null) {
            control.setProof(ByteString.copyFrom(proof));
        }
        return control(nodeId, control);
    }

    public static Envelope ping(int nodeId, long sequence) {
        return control(nodeId, control(ControlType.PING, nodeId).setSequence(sequence));
    }

    /** Answers a ping; echo its sequence. */
    public static Envelope pong(int nodeId, long sequence) {
        return control(nodeId, control(ControlType.PONG, nodeId).setSequence(sequence));
    }

    private static Control.Builder control(ControlType type, int nodeId) {
        return Control.newBuilder().setType(type).setNodeId(nodeId);
    }

    private static Envelope control(int nodeId, Control.Builder control) {
        // sourceNodeId checks the id's range and tells a relay who sent it.
        return builder(Kind.CONTROL).sourceNodeId(nodeId).control(control.build()).build();
    }

    /** The envelope with one more hop timestamp, in microseconds since the Unix epoch. */
    public static Envelope stampHop(Envelope envelope, long epochMicros) {
        return envelope.toBuilder().addTimestamp(epochMicros).build();
    }

    /** The envelope with one more hop timestamp, read from {@code clock}. */
    public static Envelope stampHop(Envelope envelope, Clock clock) {
        return stampHop(envelope, epochMicros(clock));
    }

    /** The clock's time in microseconds since the Unix epoch, the unit of hop timestamps. */
    public static long epochMicros(Clock clock) {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), MICROS_PER_SECOND),
                now.getNano() / NANOS_PER_MICRO);
    }

    public static Kind kind(Envelope envelope) {
        return envelope.getKind();
    }

    public static long requestId(Envelope envelope) {
        return envelope.getRequestId();
    }

    /**
     * A client's address as an envelope carries it: the IP's 4 or 16 bytes, then the port in 2; {@code null} for an
     * address that is not an IP socket address.
     */
    public static ByteString addressBytes(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return null;
        }
        byte[] ip = inet.getAddress().getAddress();
        byte[] bytes = Arrays.copyOf(ip, ip.length + PORT_LENGTH);
        bytes[ip.length] = (byte) (inet.getPort() >>> Byte.SIZE);
        bytes[ip.length + 1] = (byte) inet.getPort();
        return ByteString.copyFrom(bytes);
    }

    /** The client address the envelope carries, or {@code null} when it carries none or one of no IP's length. */
    public static InetSocketAddress clientAddress(Envelope envelope) {
        if (!envelope.hasClientAddress()) {
            return null;
        }
        ByteString bytes = envelope.getClientAddress();
        int ipLength = bytes.size() - PORT_LENGTH;
        if (ipLength != IPV4_LENGTH && ipLength != IPV6_LENGTH) {
            return null;
        }
        try {
            InetAddress ip = InetAddress.getByAddress(bytes.substring(0, ipLength).toByteArray());
            int port = (bytes.byteAt(ipLength) & 0xFF) << Byte.SIZE | bytes.byteAt(ipLength + 1) & 0xFF;
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            return null; // not reached: the length was checked
        }
    }

    /** The REQUEST's remaining time in ms as sent, or -1 when it carries none (no deadline). */
    public static long remainingMs(Envelope envelope) {
        return envelope.hasRemainingMs() ? Integer.toUnsignedLong(envelope.getRemainingMs()) : -1;
    }

    public static String route(Envelope envelope) {
        return envelope.getRoute();
    }

    public static String userId(Envelope envelope) {
        return envelope.getUserId();
    }

    public static long sessionId(Envelope envelope) {
        return envelope.getSessionId();
    }

    public static int gateId(Envelope envelope) {
        return envelope.getGateId();
    }

    public static int sourceNodeId(Envelope envelope) {
        return envelope.getSourceNodeId();
    }

    public static int targetNodeId(Envelope envelope) {
        return envelope.getTargetNodeId();
    }

    public static ByteString payload(Envelope envelope) {
        return envelope.getPayload();
    }

    public static List<Long> targetSessionIds(Envelope envelope) {
        return envelope.getTargetSessionIdsList();
    }

    /** How many sessions a broadcast names; with {@link #targetSessionId} reads them without boxing each. */
    public static int targetSessionIdCount(Envelope envelope) {
        return envelope.getTargetSessionIdsCount();
    }

    public static long targetSessionId(Envelope envelope, int index) {
        return envelope.getTargetSessionIds(index);
    }

    public static Control control(Envelope envelope) {
        return envelope.getControl();
    }

    /** Whether the envelope reports a failure: it carries a non-zero error code. */
    public static boolean isError(Envelope envelope) {
        return envelope.hasErrorCode() && envelope.getErrorCode() != 0;
    }

    /** The uint32 error code, 0 if none. */
    public static long errorCode(Envelope envelope) {
        return Integer.toUnsignedLong(envelope.getErrorCode());
    }

    /** The error info read as UTF-8, empty if none. */
    public static String errorInfo(Envelope envelope) {
        return envelope.getErrorInfo().toStringUtf8();
    }

    /** The hop timestamps, oldest first. */
    public static List<Long> hopTimestamps(Envelope envelope) {
        return Objects.requireNonNull(envelope, "envelope").getTimestampList();
    }
}
