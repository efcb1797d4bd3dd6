package io.switchboard.cluster.protocol;

/**
 * Layout of a cluster frame, seed 000's HLV frame with a 32-bit length (DESIGN §4). All integers big-endian:
 *
 * <pre>
 * offset  size  field
 *      0     2  head        always 0x0000
 *      2     4  len         bytes after this field: version .. crc (seed 000 has 2 bytes here)
 *      6     2  version     uint16
 *      8     2  service_id  uint16
 *     10     4  app_id      uint32
 *     14     4  session_id  uint32
 *     18     n  data        an Envelope protobuf
 *   18+n     4  crc         CRC32C of bytes 0 .. 18+n-1
 * </pre>
 *
 * So {@code len = 16 + n} and a whole frame is {@code 22 + n} bytes. The length is 32 bits rather than the seed's
 * 16 because 16 bits would cap a frame at 64 KiB, below the client protocol's 16 MiB body.
 */
public final class ClusterFrameLayout {
    /** The value of the head field. */
    public static final int HEAD = 0x0000;

    public static final int HEAD_OFFSET = 0;
    public static final int HEAD_LENGTH = 2;
    public static final int LENGTH_OFFSET = HEAD_OFFSET + HEAD_LENGTH;
    public static final int LENGTH_FIELD_LENGTH = 4;
    public static final int VERSION_OFFSET = LENGTH_OFFSET + LENGTH_FIELD_LENGTH;
    public static final int VERSION_LENGTH = 2;
    public static final int SERVICE_ID_OFFSET = VERSION_OFFSET + VERSION_LENGTH;
    public static final int SERVICE_ID_LENGTH = 2;
    public static final int APP_ID_OFFSET = SERVICE_ID_OFFSET + SERVICE_ID_LENGTH;
    public static final int APP_ID_LENGTH = 4;
    public static final int SESSION_ID_OFFSET = APP_ID_OFFSET + APP_ID_LENGTH;
    public static final int SESSION_ID_LENGTH = 4;
    /** Where data starts; also the length of everything before it. */
    public static final int DATA_OFFSET = SESSION_ID_OFFSET + SESSION_ID_LENGTH;
    public static final int HEADER_LENGTH = DATA_OFFSET;
    public static final int CRC_LENGTH = 4;

    /** Bytes of a frame besides its data: header and crc. */
    public static final int FRAME_OVERHEAD = HEADER_LENGTH + CRC_LENGTH;
    /** The len of a frame with no data: the fields after len, less data. Any smaller len is corrupt. */
    public static final int MIN_LENGTH_FIELD_VALUE = FRAME_OVERHEAD - VERSION_OFFSET;

    public static final int MAX_UINT16 = 0xFFFF;
    public static final long MAX_UINT32 = 0xFFFF_FFFFL;

    /**
     * The default largest whole frame: a client body may be 2^24 − 1 bytes (DESIGN §3), and the Envelope around
     * it adds its route, ids and timestamps; 64 KiB of headroom covers those.
     */
    public static final int DEFAULT_MAX_FRAME_LENGTH = (1 << 24) + (1 << 16);

    private ClusterFrameLayout() {
    }

    /** The len field of a frame whose data is {@code dataLength} bytes. */
    public static long lengthFieldValue(int dataLength) {
        return MIN_LENGTH_FIELD_VALUE + (long) dataLength;
    }

    /** The whole frame's length, head to crc, for a given len field. */
    public static long frameLength(long lengthFieldValue) {
        return VERSION_OFFSET + lengthFieldValue;
    }

    /** Refuses a header field value that does not fit its unsigned field. */
    static void checkField(String name, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ": " + value);
        }
    }
}
