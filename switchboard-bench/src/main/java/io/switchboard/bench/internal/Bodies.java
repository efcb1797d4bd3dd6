package io.switchboard.bench.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;

/** JSON bodies of an exact size, and the send time a broadcast message carries in its text. */
final class Bodies {
    /** Nanosecond timestamps are written as this many digits, zero-padded, so they parse without searching. */
    static final int STAMP_DIGITS = 19;
    private static final byte[] TEXT_FIELD = "\"text\":\"".getBytes(StandardCharsets.US_ASCII);

    private Bodies() {
    }

    /** {@code {"m":"xxx…"}} of exactly {@code size} bytes (at least 8): a shared, read-only buffer. */
    static ByteBuf echo(int size) {
        String json = "{\"m\":\"" + "x".repeat(Math.max(0, size - 8)) + "\"}";
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }

    /**
     * The text of a room message, sized so that the pushed {@code {"from":"<name>","text":"<text>"}} is
     * {@code pushSize} bytes: a timestamp followed by padding.
     */
    static int chatTextLength(String from, int pushSize) {
        return Math.max(STAMP_DIGITS, pushSize - "{\"from\":\"\",\"text\":\"\"}".length() - from.length());
    }

    /** Writes {@code {"text":"<stamp><padding>"}} into {@code out}, with the stamp zero-padded. */
    static void chat(ByteBuf out, long stamp, int textLength) {
        out.clear();
        out.writeBytes("{\"text\":\"".getBytes(StandardCharsets.US_ASCII));
        writeStamp(out, stamp);
        for (int i = STAMP_DIGITS; i < textLength; i++) {
            out.writeByte('x');
        }
        out.writeByte('"').writeByte('}');
    }

    private static void writeStamp(ByteBuf out, long stamp) {
        int at = out.writerIndex();
        out.writerIndex(at + STAMP_DIGITS);
        for (int i = STAMP_DIGITS - 1; i >= 0; i--) {
            out.setByte(at + i, '0' + (int) (stamp % 10));
            stamp /= 10;
        }
    }

    /** The stamp at the start of the {@code text} field of a pushed room message, or -1 if there is none. */
    static long stamp(ByteBuf body) {
        int end = body.writerIndex() - TEXT_FIELD.length - STAMP_DIGITS;
        outer:
        for (int i = body.readerIndex(); i <= end; i++) {
            for (int j = 0; j < TEXT_FIELD.length; j++) {
                if (body.getByte(i + j) != TEXT_FIELD[j]) {
                    continue outer;
                }
            }
            long value = 0;
            int at = i + TEXT_FIELD.length;
            for (int k = 0; k < STAMP_DIGITS; k++) {
                int digit = body.getByte(at + k) - '0';
                if (digit < 0 || digit > 9) {
                    return -1;
                }
                value = value * 10 + digit;
            }
            return value;
        }
        return -1;
    }
}
