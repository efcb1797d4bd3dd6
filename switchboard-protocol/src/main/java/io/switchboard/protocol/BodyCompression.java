package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib compression of message bodies (flag bit 4), used only with clients that ask for it in the handshake.
 * Inflation is bounded so a small compressed body cannot expand past the connection's body limit.
 */
public final class BodyCompression {
    private static final int CHUNK = 4096;

    private BodyCompression() {
    }

    public static ByteBuf deflate(ByteBufAllocator alloc, ByteBuf body) {
        byte[] input = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), input);
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteBuf out = alloc.heapBuffer(Math.max(64, input.length / 2));
            byte[] chunk = new byte[CHUNK];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.writeBytes(chunk, 0, n);
            }
            return out;
        } finally {
            deflater.end();
        }
    }

    /** Inflates a zlib body; refuses corrupt input and output larger than {@code maxLength}. */
    public static ByteBuf inflate(ByteBufAllocator alloc, ByteBuf body, int maxLength) {
        byte[] input = new byte[body.readableBytes()];
        body.getBytes(body.readerIndex(), input);
        Inflater inflater = new Inflater();
        ByteBuf out = alloc.heapBuffer(Math.min(maxLength, Math.max(64, input.length * 4)));
        try {
            inflater.setInput(input);
            byte[] chunk = new byte[CHUNK];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new PomeloProtocolException("truncated compressed body");
                }
                if (out.readableBytes() + n > maxLength) {
                    throw new BodyTooLargeException(out.readableBytes() + n, maxLength);
                }
                out.writeBytes(chunk, 0, n);
            }
            ByteBuf result = out;
            out = null;
            return result;
        } catch (DataFormatException e) {
            throw new PomeloProtocolException("corrupt compressed body: " + e.getMessage());
        } finally {
            inflater.end();
            if (out != null) {
                out.release();
            }
        }
    }
}
