package io.switchboard.cluster.protocol;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Frames built by hand from the spec's layout, with literal sizes and the JDK's CRC32C over a plain array, so the
 * codec is checked against something other than itself.
 */
final class RawFrames {

    private RawFrames() {
    }

    /** A valid frame. */
    static byte[] frame(int version, int serviceId, long appId, long sessionId, byte[] data) {
        return frame(0x0000, 16L + data.length, version, serviceId, appId, sessionId, data, null);
    }

    /**
     * A frame with every field chosen, valid or not.
     *
     * @param crc the crc to write, or null for the right one
     */
    static byte[] frame(int head, long len, int version, int serviceId, long appId, long sessionId, byte[] data,
                        Integer crc) {
        ByteBuffer buf = ByteBuffer.allocate(2 + 4 + 2 + 2 + 4 + 4 + data.length + 4); // big-endian by default
        buf.putShort((short) head)
                .putInt((int) len)
                .putShort((short) version)
                .putShort((short) serviceId)
                .putInt((int) appId)
                .putInt((int) sessionId)
                .put(data);
        CRC32C crc32c = new CRC32C();
        crc32c.update(buf.array(), 0, buf.position());
        buf.putInt(crc != null ? crc : (int) crc32c.getValue());
        return buf.array();
    }

    /** The bytes joined in order. */
    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer joined = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            joined.put(part);
        }
        return joined.array();
    }

    /** {@code length} bytes of a repeating, position-dependent pattern, so misplaced bytes show. */
    static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}
