package io.switchboard.cluster.protocol.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Crc32cTest {
    /** The published check value of CRC-32C (Castagnoli): the CRC of the ASCII digits "123456789". */
    private static final int CHECK = 0xE3069283;
    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void matchesTheStandardCheckValueOnHeapMemory() {
        ByteBuf heap = Unpooled.wrappedBuffer(CHECK_INPUT);
        assertThat(Crc32c.checksum(heap, 0, CHECK_INPUT.length)).isEqualTo(CHECK);
    }

    @Test
    void matchesTheStandardCheckValueOnDirectMemory() {
        ByteBuf direct = Unpooled.directBuffer(16).writeBytes(CHECK_INPUT);
        try {
            assertThat(Crc32c.checksum(direct, 0, CHECK_INPUT.length)).isEqualTo(CHECK);
        } finally {
            direct.release();
        }
    }

    @Test
    void coversACompositeComponentByComponent() {
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponents(true,
                Unpooled.wrappedBuffer(CHECK_INPUT, 0, 2),
                Unpooled.directBuffer(4).writeBytes(CHECK_INPUT, 2, 4),
                Unpooled.wrappedBuffer(CHECK_INPUT, 6, 3));
        try {
            assertThat(composite.nioBufferCount()).isEqualTo(3);
            assertThat(Crc32c.checksum(composite, 0, CHECK_INPUT.length)).isEqualTo(CHECK);
        } finally {
            composite.release();
        }
    }

    @Test
    void readsOnlyTheRegionAskedForAndMovesNoIndex() {
        ByteBuf buf = Unpooled.directBuffer(32).writeBytes(new byte[] {(byte) 0xAA, (byte) 0xBB})
                .writeBytes(CHECK_INPUT).writeByte(0xCC);
        try {
            assertThat(Crc32c.checksum(buf, 2, CHECK_INPUT.length)).isEqualTo(CHECK);
            assertThat(buf.readerIndex()).isZero();
            assertThat(buf.writerIndex()).isEqualTo(CHECK_INPUT.length + 3);
        } finally {
            buf.release();
        }
    }

    @Test
    void readsASliceAtItsOwnOffset() {
        ByteBuffer nio = ByteBuffer.allocateDirect(20);
        nio.put(new byte[5]).put(CHECK_INPUT);
        nio.flip();
        ByteBuf wrapped = Unpooled.wrappedBuffer(nio);
        try {
            ByteBuf slice = wrapped.slice(5, CHECK_INPUT.length);
            assertThat(Crc32c.checksum(slice, 0, CHECK_INPUT.length)).isEqualTo(CHECK);
        } finally {
            wrapped.release();
        }
    }
}
