package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** One package of the Pomelo protocol: a type and a body. The body is reference-counted: release it. */
public final class PomeloPackage extends DefaultByteBufHolder {
    private final PackageType type;

    public PomeloPackage(PackageType type, ByteBuf body) {
        super(body);
        this.type = Objects.requireNonNull(type, "type");
    }

    public PackageType type() {
        return type;
    }

    /** A body-less package of the given type (heartbeat, handshake-ack). */
    public static PomeloPackage empty(PackageType type) {
        return new PomeloPackage(type, Unpooled.EMPTY_BUFFER);
    }

    /** A kick package; its body is {@code {"reason":"..."}}, never empty, since Pomelo clients parse it. */
    public static PomeloPackage kick(String reason) {
        return new PomeloPackage(PackageType.KICK,
                Unpooled.wrappedBuffer(Json.kickBody(reason).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public PomeloPackage replace(ByteBuf content) {
        return new PomeloPackage(type, content);
    }

    @Override
    public PomeloPackage retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return "PomeloPackage(" + type + ", " + content().readableBytes() + "B)";
    }
}
