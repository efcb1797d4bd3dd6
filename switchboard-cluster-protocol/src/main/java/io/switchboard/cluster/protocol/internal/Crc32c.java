package io.switchboard.cluster.protocol.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C over a region of a {@link ByteBuf} without copying it: the JDK's {@link CRC32C} reads heap arrays and
 * direct {@link ByteBuffer}s in place (with an intrinsic on current JVMs), so we hand it the buffer's own memory.
 */
public final class Crc32c {

    private Crc32c() {
    }

    /** The CRC32C of {@code length} bytes of {@code buf} from {@code index}, as the 32 bits sent on the wire. */
    public static int checksum(ByteBuf buf, int index, int length) {
        CRC32C crc = new CRC32C();
        update(crc, buf, index, length);
        return (int) crc.getValue();
    }

    /** Feeds {@code length} bytes of {@code buf} from {@code index} to {@code crc}; indexes are left untouched. */
    public static void update(CRC32C crc, ByteBuf buf, int index, int length) {
        if (length == 0) {
            return;
        }
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + index, length);
            return;
        }
        int count = buf.nioBufferCount();
        if (count == 1) {
            crc.update(buf.nioBuffer(index, length));
        } else if (count > 1) {
            // A composite: its components' memory, one after the other.
            for (ByteBuffer component : buf.nioBuffers(index, length)) {
                crc.update(component);
            }
        } else {
            // No NIO view of this buffer's memory: the one case that has to copy.
            crc.update(ByteBufUtil.getBytes(buf, index, length, false));
        }
    }
}
