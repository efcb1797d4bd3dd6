package io.switchboard.cluster.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

import java.util.Objects;

import static io.switchboard.cluster.protocol.ClusterFrameLayout.MAX_UINT16;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.checkField;
import static io.switchboard.cluster.protocol.ClusterFrameLayout.MAX_UINT32;

/**
 * One frame of the cluster link: the header fields of {@link ClusterFrameLayout} and the data, normally an
 * Envelope. The codec checks and writes head, len and crc itself, so they are not here. The data is
 * reference-counted: whoever ends up holding the frame releases it.
 */
public final class ClusterFrame extends DefaultByteBufHolder {
    /** The version this codebase writes. */
    public static final int CURRENT_VERSION = 1;

    private final int version;
    private final int serviceId;
    private final long appId;
    private final long sessionId;

    /**
     * @param version   uint16
     * @param serviceId uint16
     * @param appId     uint32
     * @param sessionId uint32
     * @param data      taken over by the frame; left to the caller if an argument is refused
     */
    public ClusterFrame(int version, int serviceId, long appId, long sessionId, ByteBuf data) {
        super(checkFields(version, serviceId, appId, sessionId, data));
        this.version = version;
        this.serviceId = serviceId;
        this.appId = appId;
        this.sessionId = sessionId;
    }

    /** A frame of the {@linkplain #CURRENT_VERSION current version}. */
    public ClusterFrame(int serviceId, long appId, long sessionId, ByteBuf data) {
        this(CURRENT_VERSION, serviceId, appId, sessionId, data);
    }

    // Runs before the holder takes the buffer, so on a refusal the caller still owns (and releases) the data.
    private static ByteBuf checkFields(int version, int serviceId, long appId, long sessionId, ByteBuf data) {
        checkField("version", version, MAX_UINT16);
        checkField("serviceId", serviceId, MAX_UINT16);
        checkField("appId", appId, MAX_UINT32);
        checkField("sessionId", sessionId, MAX_UINT32);
        return Objects.requireNonNull(data, "data");
    }

    public int version() {
        return version;
    }

    public int serviceId() {
        return serviceId;
    }

    public long appId() {
        return appId;
    }

    public long sessionId() {
        return sessionId;
    }

    /** The data, the same buffer as {@link #content()}. */
    public ByteBuf data() {
        return content();
    }

    @Override
    public ClusterFrame replace(ByteBuf content) {
        return new ClusterFrame(version, serviceId, appId, sessionId, content);
    }

    @Override
    public ClusterFrame copy() {
        return (ClusterFrame) super.copy();
    }

    @Override
    public ClusterFrame duplicate() {
        return (ClusterFrame) super.duplicate();
    }

    @Override
    public ClusterFrame retainedDuplicate() {
        return (ClusterFrame) super.retainedDuplicate();
    }

    @Override
    public ClusterFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public ClusterFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public ClusterFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public ClusterFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterFrame other
                && other.version == version
                && other.serviceId == serviceId
                && other.appId == appId
                && other.sessionId == sessionId
                && super.equals(o);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, serviceId, appId, sessionId, super.hashCode());
    }

    @Override
    public String toString() {
        return "ClusterFrame(v" + version + ", service " + serviceId + ", app " + appId + ", session " + sessionId
                + ", " + contentToString() + ")";
    }
}
