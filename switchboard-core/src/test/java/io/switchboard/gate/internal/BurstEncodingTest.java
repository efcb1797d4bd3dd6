package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst's answers in one buffer are the bytes the pipeline would write for each on its own: the packages back to
 * back over TCP, and over WebSocket each package in the binary frame Netty's own encoder writes.
 */
class BurstEncodingTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final RouteDictionary DICTIONARY = RouteDictionary.of(Map.of("onTell", 3), List.of("demo.echo.say"));
    /** Ids and body lengths across the varint and WebSocket length boundaries (126 and 65,536 bytes). */
    private static final int[][] ANSWERS = {{1, 0}, {127, 20}, {128, 125}, {70_000, 200}, {5, 70_000}};

    @ParameterizedTest(name = "framed {0}, compressed {1}")
    @CsvSource({"false, false", "false, true", "true, false", "true, true"})
    void answersAreWhatThePipelineWritesOneByOne(boolean framed, boolean compressed) {
        ByteBuf out = BurstEncoding.encode(answers(), ALLOC, DICTIONARY, compressed, framed, "test session");
        try {
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(expected(answers(), framed, compressed));
        } finally {
            out.release();
        }
    }

    @ParameterizedTest(name = "framed {0}")
    @ValueSource(booleans = {false, true})
    void anAnswerThatCannotBeEncodedIsLeftOutAndTheOthersGo(boolean framed) {
        // A response too long for the package's 3-byte length, and a push whose route is too long for its 1 byte.
        Supplier<List<PomeloMessage>> withBad = () -> {
            List<PomeloMessage> answers = answers();
            answers.add(1, PomeloMessage.response(9, Unpooled.wrappedBuffer(new byte[PackageHeader.MAX_BODY_LENGTH])));
            answers.add(3, PomeloMessage.push("x".repeat(300), Unpooled.wrappedBuffer(new byte[4])));
            return answers;
        };
        List<PomeloMessage> answers = withBad.get();
        ByteBuf out = BurstEncoding.encode(answers, ALLOC, DICTIONARY, false, framed, "test session");
        try {
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(expected(answers(), framed, false));
            assertThat(answers.stream().mapToInt(PomeloMessage::refCnt)).as("answers released").containsOnly(0);
        } finally {
            out.release();
        }
    }

    @ParameterizedTest(name = "framed {0}")
    @ValueSource(booleans = {false, true})
    void aBurstOfWhichNothingCanBeEncodedGivesNothing(boolean framed) {
        List<PomeloMessage> answers = new ArrayList<>(List.of(
                PomeloMessage.push("y".repeat(256), Unpooled.wrappedBuffer(new byte[1]))));
        assertThat(BurstEncoding.encode(answers, ALLOC, DICTIONARY, false, framed, "test session")).isNull();
        assertThat(answers.get(0).refCnt()).isZero();
    }

    /** Fresh answers (encoding releases them): responses, and a push that goes by its dictionary code. */
    private static List<PomeloMessage> answers() {
        List<PomeloMessage> answers = new ArrayList<>();
        for (int[] answer : ANSWERS) {
            byte[] body = new byte[answer[1]];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) ('a' + i % 26);
            }
            // A buffer of its own even when empty (Unpooled's empty buffer is never released).
            answers.add(PomeloMessage.response(answer[0], Unpooled.buffer(body.length).writeBytes(body)));
        }
        answers.add(PomeloMessage.push("onTell", Unpooled.copiedBuffer("{\"to\":\"bob\"}", StandardCharsets.UTF_8)));
        return answers;
    }

    /** Each answer encoded on its own, and framed by Netty's server-side frame encoder when {@code framed}. */
    private static String expected(List<PomeloMessage> answers, boolean framed, boolean compressed) {
        StringBuilder hex = new StringBuilder();
        EmbeddedChannel frames = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        for (PomeloMessage answer : answers) {
            ByteBuf pkg = PomeloMessageCodec.encodePackage(ALLOC, answer, DICTIONARY, compressed);
            answer.release();
            if (!framed) {
                hex.append(ByteBufUtil.hexDump(pkg));
                pkg.release();
                continue;
            }
            frames.writeOutbound(new BinaryWebSocketFrame(pkg));
            for (ByteBuf written; (written = frames.readOutbound()) != null; ) {
                hex.append(ByteBufUtil.hexDump(written));
                written.release();
            }
        }
        assertThat(frames.finish()).isFalse();
        return hex.toString();
    }
}
