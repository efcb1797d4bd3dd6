package io.switchboard.cluster.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.Internal;
import com.google.protobuf.UnsafeByteOperations;
import io.switchboard.cluster.protocol.proto.Control;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.id.Snowflake;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds an {@link Envelope} of one {@link Kind}, checking what the plain setters do not. Made by
 * {@link Envelopes#builder(Kind)}; the factory methods of {@link Envelopes} cover the common shapes.
 * Fields left unset are absent on the wire.
 */
public final class EnvelopeBuilder {
    /** An empty list of protobuf's unboxed kind; its copies are the lists {@link #targetSessionIds} fills. */
    private static final Internal.LongList NO_IDS =
            (Internal.LongList) Envelope.getDefaultInstance().getTargetSessionIdsList();
    private final Envelope.Builder builder;

    EnvelopeBuilder(Kind kind) {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.KIND_UNSPECIFIED) {
            throw new IllegalArgumentException("an envelope needs a kind");
        }
        builder = Envelope.newBuilder().setKind(kind);
    }

    public EnvelopeBuilder requestId(long requestId) {
        builder.setRequestId(requestId);
        return this;
    }

    /** @param route {@code service.handler.method} */
    /** REQUEST: how long the sender still waits for the answer; clamped to {@code [0, 2^32-1]} ms. */
    public EnvelopeBuilder remainingMs(long remainingMs) {
        builder.setRemainingMs((int) Math.max(0, Math.min(remainingMs, 0xFFFF_FFFFL)));
        return this;
    }

    /** REQUEST, NOTIFY: the client's address as {@link Envelopes#addressBytes} encodes it. */
    public EnvelopeBuilder clientAddress(ByteString address) {
        builder.setClientAddress(Objects.requireNonNull(address, "address"));
        return this;
    }

    public EnvelopeBuilder route(String route) {
        builder.setRoute(Objects.requireNonNull(route, "route"));
        return this;
    }

    public EnvelopeBuilder userId(String userId) {
        builder.setUserId(Objects.requireNonNull(userId, "userId"));
        return this;
    }

    /** The client session on its gate. */
    public EnvelopeBuilder sessionId(long sessionId) {
        builder.setSessionId(sessionId);
        return this;
    }

    /** Node id of the gate that holds the session. */
    public EnvelopeBuilder gateId(int gateId) {
        builder.setGateId(checkNodeId("gateId", gateId));
        return this;
    }

    public EnvelopeBuilder sourceNodeId(int nodeId) {
        builder.setSourceNodeId(checkNodeId("sourceNodeId", nodeId));
        return this;
    }

    public EnvelopeBuilder targetNodeId(int nodeId) {
        builder.setTargetNodeId(checkNodeId("targetNodeId", nodeId));
        return this;
    }

    public EnvelopeBuilder payload(ByteString payload) {
        builder.setPayload(Objects.requireNonNull(payload, "payload"));
        return this;
    }

    /** Copies {@code payload}. */
    public EnvelopeBuilder payload(byte[] payload) {
        return payload(ByteString.copyFrom(payload));
    }

    /**
     * Takes {@code payload} without copying it, for an array made for this envelope alone: whoever made it must not
     * change it afterwards (the envelope may be serialized later, on another thread).
     */
    public EnvelopeBuilder ownedPayload(byte[] payload) {
        return payload(UnsafeByteOperations.unsafeWrap(Objects.requireNonNull(payload, "payload")));
    }

    /** Adds sessions to a broadcast's targets. */
    public EnvelopeBuilder targetSessionIds(long... sessionIds) {
        return targetSessionIds(sessionIds, sessionIds.length);
    }

    /**
     * Adds the first {@code count} of {@code sessionIds} to a broadcast's targets, through one list sized for them:
     * the builder's own adds grow its list one element at a time, which was a node's largest cost per broadcast.
     */
    public EnvelopeBuilder targetSessionIds(long[] sessionIds, int count) {
        Internal.LongList ids = NO_IDS.mutableCopyWithCapacity(count);
        for (int i = 0; i < count; i++) {
            ids.addLong(sessionIds[i]);
        }
        builder.addAllTargetSessionIds(ids); // one array copy: protobuf adds a list of its own kind in bulk
        return this;
    }

    /** Adds sessions to a broadcast's targets. */
    public EnvelopeBuilder targetSessionIds(Iterable<Long> sessionIds) {
        for (Long sessionId : sessionIds) {
            builder.addTargetSessionIds(Objects.requireNonNull(sessionId));
        }
        return this;
    }

    public EnvelopeBuilder control(Control control) {
        builder.setControl(Objects.requireNonNull(control, "control"));
        return this;
    }

    /**
     * Marks the envelope failed.
     *
     * @param errorCode a uint32 code of the error-code plan
     * @param errorInfo sent as UTF-8
     */
    public EnvelopeBuilder error(long errorCode, String errorInfo) {
        ClusterFrameLayout.checkField("errorCode", errorCode, ClusterFrameLayout.MAX_UINT32);
        builder.setErrorCode((int) errorCode)
                .setErrorInfo(ByteString.copyFrom(Objects.requireNonNull(errorInfo, "errorInfo"),
                        StandardCharsets.UTF_8));
        return this;
    }

    /** Marks the envelope failed with the code and its default message. */
    public EnvelopeBuilder error(ErrorCode errorCode) {
        return error(errorCode.code(), errorCode.message());
    }

    /** Appends the hop timestamps an earlier envelope carried, oldest first: an answer carries its request's trace. */
    public EnvelopeBuilder timestamps(Iterable<Long> epochMicros) {
        builder.addAllTimestamp(epochMicros);
        return this;
    }

    /** Appends a hop timestamp, in microseconds since the Unix epoch. */
    public EnvelopeBuilder timestamp(long epochMicros) {
        builder.addTimestamp(epochMicros);
        return this;
    }

    /** A RESPONSE always carries its error code and info, 0 and empty on success (seed 000: required on answers). */
    public Envelope build() {
        if (builder.getKind() == Kind.RESPONSE && !builder.hasErrorCode()) {
            builder.setErrorCode(0).setErrorInfo(ByteString.EMPTY);
        }
        return builder.build();
    }

    private static int checkNodeId(String name, int nodeId) {
        if (nodeId < 0 || nodeId > Snowflake.MAX_NODE_ID) {
            throw new IllegalArgumentException(name + " must be 0.." + Snowflake.MAX_NODE_ID + ": " + nodeId);
        }
        return nodeId;
    }
}
