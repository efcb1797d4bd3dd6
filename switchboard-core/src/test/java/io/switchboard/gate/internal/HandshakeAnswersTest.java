package io.switchboard.gate.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.internal.PlatformDependent;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.RouteDictionary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeAnswersTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private final RouteDictionary dictionary = RouteDictionary.of(Map.of("onKick", 3), List.of("demo.echo.say", "onTell"));
    private final HandshakeAnswers answers = new HandshakeAnswers(25);

    @Test
    void anAnswerIsTheBytesOfTheWholeAnswer() {
        ObjectNode user = Json.MAPPER.createObjectNode().put("name", "zoë");
        ObjectNode session = HandshakeResponse.session(7, "token", null);
        for (boolean sendDictionary : new boolean[] {true, false}) {
            ByteBuf answer = answers.accepted(ALLOC, dictionary, sendDictionary, "json", true, user, session);
            try {
                assertThat(answer.isDirect()).isTrue();
                assertThat(ByteBufUtil.getBytes(answer)).isEqualTo(
                        HandshakeResponse.accepted(25, dictionary, sendDictionary, "json", true, user, session));
            } finally {
                answer.release();
            }
        }
    }

    @Test
    void answersWithOneDictionaryShareTheirHeadAndANewDictionaryGetsItsOwn() {
        ByteBuf first = answers.accepted(ALLOC, dictionary, true, "json", false, null, null);
        ByteBuf second = answers.accepted(ALLOC, dictionary, true, "json", false, null,
                HandshakeResponse.session(8, "other", null));
        long shared = headAddress(first);
        first.release();
        RouteDictionary grown = RouteDictionary.of(Map.of("onKick", 3), List.of("demo.echo.say", "onTell", "x.y.z"));
        ByteBuf third = answers.accepted(ALLOC, grown, true, "json", false, null, null);
        try {
            assertThat(headAddress(second)).isEqualTo(shared);
            assertThat(headAddress(third)).isNotEqualTo(shared);
            // The first answer's release left the shared head whole for the one after it.
            assertThat(ByteBufUtil.getBytes(second)).isEqualTo(HandshakeResponse.accepted(25, dictionary, true, "json",
                    false, null, HandshakeResponse.session(8, "other", null)));
            assertThat(ByteBufUtil.getBytes(third))
                    .isEqualTo(HandshakeResponse.accepted(25, grown, true, "json", false, null, null));
        } finally {
            second.release();
            third.release();
        }
    }

    private static long headAddress(ByteBuf answer) {
        return PlatformDependent.directBufferAddress(((CompositeByteBuf) answer).component(0).nioBuffer());
    }
}
