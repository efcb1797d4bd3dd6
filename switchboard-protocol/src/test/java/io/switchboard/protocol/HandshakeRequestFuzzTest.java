package io.switchboard.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link HandshakeRequest#parse}, the first thing the gate does with a client's JSON. Invariants: the
 * parse either gives a request whose {@code sys} is an object and whose accessors answer without throwing, or
 * refuses with a {@link PomeloProtocolException}; nothing else comes out.
 */
class HandshakeRequestFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void parse(byte[] body) {
        HandshakeRequest request;
        try {
            request = HandshakeRequest.parse(body);
        } catch (PomeloProtocolException refused) {
            assertThat(refused.reason()).startsWith("bad handshake: ");
            return;
        }
        assertThat(request.sys().isObject()).isTrue();
        assertThat(request.user()).isNotNull();
        request.clientType();
        request.clientVersion();
        request.dictVersion();
        request.wantsCompression();
    }
}
