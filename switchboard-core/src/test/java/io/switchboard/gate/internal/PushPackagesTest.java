package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.websocket.EncodedBinaryFrames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resume keeps a session's pushes, and only those, as the packages its client gets: recognised in each form an
 * outbox holds them in (a message, an encoded package, a package in a WebSocket frame), and encoded as the pipeline
 * would.
 */
class PushPackagesTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final RouteDictionary DICTIONARY = RouteDictionary.of(Map.of("onTell", 3), List.of());

    @Test
    void pushesAreToldFromAnswersInEveryForm() {
        assertThat(PushPackages.isPush(push("onTell"))).isTrue();
        assertThat(PushPackages.isPush(response())).isFalse();
        assertThat(PushPackages.isPush(new Object())).isFalse();
        for (boolean isPush : new boolean[] {true, false}) {
            ByteBuf pkg = encode(isPush ? push("onTell") : response());
            EncodedBinaryFrames frame = framed(pkg.retainedDuplicate());
            try {
                assertThat(PushPackages.isPush(pkg)).as("package, push %s", isPush).isEqualTo(isPush);
                assertThat(PushPackages.isPush(frame)).as("frame, push %s", isPush).isEqualTo(isPush);
            } finally {
                pkg.release();
                frame.release();
            }
        }
        // A package too short to hold a message (a heartbeat's header alone) is not a push.
        ByteBuf header = Unpooled.wrappedBuffer(new byte[] {4, 0, 0, 0});
        assertThat(PushPackages.isPush(header)).isFalse();
    }

    @Test
    void framedPackageIsTheFramesPayload() {
        ByteBuf pkg = encode(push("onTell"));
        String expected = ByteBufUtil.hexDump(pkg);
        EncodedBinaryFrames frame = framed(pkg);
        try {
            assertThat(ByteBufUtil.hexDump(PushPackages.framedPackage(frame))).isEqualTo(expected);
        } finally {
            frame.release();
        }
    }

    @Test
    void encodedPushIsThePipelinesPackageWhateverItsFormAndTakesOwnership() {
        String expected = hex(encode(push("onTell")));
        PomeloMessage message = push("onTell");
        ByteBuf fromMessage = PushPackages.encodedPush(ALLOC, message, DICTIONARY, false);
        assertThat(message.refCnt()).as("message released").isZero();
        assertThat(hex(fromMessage)).isEqualTo(expected);

        ByteBuf pkg = encode(push("onTell"));
        ByteBuf fromPackage = PushPackages.encodedPush(ALLOC, pkg, DICTIONARY, false);
        assertThat(fromPackage).isSameAs(pkg);
        assertThat(hex(fromPackage)).isEqualTo(expected);

        EncodedBinaryFrames frame = framed(encode(push("onTell")));
        ByteBuf fromFrame = PushPackages.encodedPush(ALLOC, frame, DICTIONARY, false);
        assertThat(frame.refCnt()).as("the frame's own reference given up, the package's kept").isEqualTo(1);
        assertThat(hex(fromFrame)).isEqualTo(expected);
    }

    /** The package's bytes; releases it. */
    private static String hex(ByteBuf pkg) {
        try {
            return ByteBufUtil.hexDump(pkg);
        } finally {
            pkg.release();
        }
    }

    private static PomeloMessage push(String route) {
        return PomeloMessage.push(route, Unpooled.wrappedBuffer("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    private static PomeloMessage response() {
        return PomeloMessage.response(7, Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.UTF_8)));
    }

    private static ByteBuf encode(PomeloMessage message) {
        try {
            return PomeloMessageCodec.encodePackage(ALLOC, message, DICTIONARY, false);
        } finally {
            message.release();
        }
    }

    /** The package in one binary frame, as a WebSocket session's outbox holds it; takes ownership of it. */
    private static EncodedBinaryFrames framed(ByteBuf pkg) {
        ByteBuf frames = ALLOC.buffer(EncodedBinaryFrames.frameLength(pkg.readableBytes()));
        EncodedBinaryFrames.writeFrame(frames, pkg);
        pkg.release();
        return new EncodedBinaryFrames(frames);
    }
}
