package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Hex helpers for byte-vector tests. */
final class Bytes {
    private Bytes() {
    }

    static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    /** The readable bytes as lower-case hex with spaces, then releases the buffer. */
    static String hexAndRelease(ByteBuf buf) {
        try {
            return ByteBufUtil.hexDump(buf).replaceAll("(..)(?!$)", "$1 ");
        } finally {
            buf.release();
        }
    }
}
