package io.switchboard.cluster.protocol;

import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.ErrorModule;
import io.netty.channel.local.LocalAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopesTest {
    private static final ByteString PAYLOAD = ByteString.copyFromUtf8("{\"text\":\"hi\"}");

    @Test
    void anOwnedPayloadIsTakenWithoutACopyAndAGivenOneIsCopied() throws Exception {
        byte[] owned = "{\"text\":\"hi\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] given = owned.clone();
        Envelope taken = Envelopes.builder(Kind.RESPONSE).requestId(1).ownedPayload(owned).build();
        Envelope copied = Envelopes.builder(Kind.RESPONSE).requestId(1).payload(given).build();
        owned[0] = '[';
        given[0] = '[';

        // The contract the gate and the node rely on: an owned array is the envelope's from then on.
        assertThat(Envelopes.payload(taken).byteAt(0)).isEqualTo((byte) '[');
        assertThat(Envelopes.payload(copied)).isEqualTo(PAYLOAD);
        assertThat(Envelopes.payload(Envelopes.parse(taken.toByteArray())).toStringUtf8()).isEqualTo("[\"text\":\"hi\"}");
    }

    @Test
    void aClientAddressTravelsAsItsIpAndPortAndAnythingElseReadsAsNone() throws Exception {
        for (InetSocketAddress address : List.of(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 65535),
                new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443))) {
            Envelope sent = Envelopes.builder(Kind.REQUEST).route("chat.auth.login")
                    .clientAddress(Envelopes.addressBytes(address)).build();
            assertThat(Envelopes.clientAddress(Envelopes.parse(sent.toByteArray()))).isEqualTo(address);
        }
        assertThat(Envelopes.addressBytes(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 1)).size())
                .isEqualTo(6);
        assertThat(Envelopes.addressBytes(new LocalAddress("embedded"))).isNull();
        assertThat(Envelopes.clientAddress(Envelopes.builder(Kind.REQUEST).build())).isNull();
        assertThat(Envelopes.clientAddress(Envelopes.builder(Kind.REQUEST)
                .clientAddress(ByteString.copyFrom(new byte[5])).build())).as("no IP is 3 bytes").isNull();
    }

    @Test
    void makesARequest() {
        Envelope request = Envelopes.request(41, "chat.room.say", "u7", PAYLOAD);

        assertThat(Envelopes.kind(request)).isEqualTo(Kind.REQUEST);
        assertThat(Envelopes.requestId(request)).isEqualTo(41);
        assertThat(Envelopes.route(request)).isEqualTo("chat.room.say");
        assertThat(Envelopes.userId(request)).isEqualTo("u7");
        assertThat(Envelopes.payload(request)).isEqualTo(PAYLOAD);
        assertThat(Envelopes.isError(request)).isFalse();
        assertThat(request.hasSessionId()).isFalse();
    }

    @Test
    void aRequestCarriesItsRemainingTimeThroughTheCodec() throws Exception {
        Envelope request = Envelopes.builder(Kind.REQUEST).requestId(1).route("chat.room.say").remainingMs(2500)
                .build();
        Envelope decoded = Envelopes.parse(request.toByteArray());

        assertThat(Envelopes.remainingMs(decoded)).isEqualTo(2500);
        assertThat(Envelopes.remainingMs(Envelopes.request(2, "chat.room.say", "u7", PAYLOAD)))
                .as("no deadline sent").isEqualTo(-1);
        assertThat(Envelopes.remainingMs(Envelopes.builder(Kind.REQUEST).remainingMs(-5).build())).isZero();
        assertThat(Envelopes.remainingMs(Envelopes.builder(Kind.REQUEST).remainingMs(1L << 40).build()))
                .as("unsigned 32 bits, clamped").isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void makesResponsesGoodAndFailed() {
        ErrorCode roomFull = ErrorModule.ROOM.code(3, "ROOM_FULL", "the room is full");

        Envelope ok = Envelopes.response(41, PAYLOAD);
        Envelope failed = Envelopes.errorResponse(41, roomFull);

        assertThat(Envelopes.kind(ok)).isEqualTo(Kind.RESPONSE);
        assertThat(Envelopes.isError(ok)).isFalse();
        assertThat(Envelopes.kind(failed)).isEqualTo(Kind.RESPONSE);
        assertThat(Envelopes.requestId(failed)).isEqualTo(41);
        assertThat(Envelopes.isError(failed)).isTrue();
        assertThat(Envelopes.errorCode(failed)).isEqualTo(1_002_000_003L);
        assertThat(Envelopes.errorInfo(failed)).isEqualTo("the room is full");
    }

    @Test
    void keepsErrorCodesAboveTwoToTheThirtyOneUnsigned() {
        Envelope failed = Envelopes.errorResponse(1, 4_000_000_000L, "big");

        assertThat(Envelopes.errorCode(failed)).isEqualTo(4_000_000_000L);
        assertThatThrownBy(() -> Envelopes.errorResponse(1, 0x1_0000_0000L, "too big"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void makesNotifyPushAndBroadcast() {
        Envelope notify = Envelopes.notify("chat.room.typing", "u1", PAYLOAD);
        Envelope push = Envelopes.push("chat.onMessage", "u2", PAYLOAD);
        Envelope broadcast = Envelopes.broadcast("chat.onMessage", new long[] {10, 11, 12}, PAYLOAD);

        assertThat(Envelopes.kind(notify)).isEqualTo(Kind.NOTIFY);
        assertThat(notify.hasRequestId()).isFalse();
        assertThat(Envelopes.kind(push)).isEqualTo(Kind.PUSH);
        assertThat(Envelopes.userId(push)).isEqualTo("u2");
        assertThat(Envelopes.kind(broadcast)).isEqualTo(Kind.BROADCAST);
        assertThat(Envelopes.targetSessionIds(broadcast)).containsExactly(10L, 11L, 12L);
        assertThat(Envelopes.payload(broadcast)).isEqualTo(PAYLOAD);
    }

    @Test
    void targetSessionIdsFromAnArrayTakeTheFirstCountAppendAndEncodeAsProtobufsOwnAdds() {
        long[] ids = {10, 11, 12, -1L};
        Envelope twice = Envelopes.builder(Kind.BROADCAST).gateId(1).targetSessionIds(ids, 2)
                .targetSessionIds(ids, 4).build();
        Envelope none = Envelopes.builder(Kind.BROADCAST).gateId(1).targetSessionIds(ids, 0).build();
        Envelope byProtobuf = Envelope.newBuilder().setKind(Kind.BROADCAST).setGateId(1)
                .addTargetSessionIds(10).addTargetSessionIds(11)
                .addTargetSessionIds(10).addTargetSessionIds(11).addTargetSessionIds(12).addTargetSessionIds(-1L)
                .build();

        assertThat(Envelopes.targetSessionIds(twice)).containsExactly(10L, 11L, 10L, 11L, 12L, -1L);
        assertThat(twice.toByteArray()).isEqualTo(byProtobuf.toByteArray());
        assertThat(Envelopes.targetSessionIds(none)).isEmpty();
        assertThat(Envelope.getDefaultInstance().getTargetSessionIdsCount()).as("the shared empty list").isZero();
    }

    @Test
    void makesControlEnvelopes() {
        Envelope hello = Envelopes.hello(17, "chat");
        Envelope ping = Envelopes.ping(17, 5);
        Envelope pong = Envelopes.pong(3, 5);

        assertThat(Envelopes.kind(hello)).isEqualTo(Kind.CONTROL);
        assertThat(Envelopes.control(hello).getType()).isEqualTo(ControlType.HELLO);
        assertThat(Envelopes.control(hello).getNodeId()).isEqualTo(17);
        assertThat(Envelopes.control(hello).getNodeType()).isEqualTo("chat");
        assertThat(Envelopes.sourceNodeId(hello)).isEqualTo(17);
        assertThat(Envelopes.control(ping).getType()).isEqualTo(ControlType.PING);
        assertThat(Envelopes.control(ping).getSequence()).isEqualTo(5);
        assertThat(Envelopes.control(pong).getType()).isEqualTo(ControlType.PONG);
        assertThat(Envelopes.control(pong).getSequence()).isEqualTo(5);
        assertThat(Envelopes.control(pong).getNodeId()).isEqualTo(3);
    }

    @Test
    void makesTheAuthenticationEnvelopes() {
        byte[] nonce = {1, 2, 3};
        Envelope hello = Envelopes.hello(17, "chat", nonce);
        Envelope auth = Envelopes.auth(17, new byte[] {9, 8});
        Envelope open = Envelopes.auth(17, null);

        assertThat(Envelopes.control(hello).getType()).isEqualTo(ControlType.HELLO);
        assertThat(Envelopes.control(hello).getNodeType()).isEqualTo("chat");
        assertThat(Envelopes.control(hello).getNonce().toByteArray()).containsExactly(1, 2, 3);
        assertThat(Envelopes.control(Envelopes.hello(17, "chat")).hasNonce()).isFalse();
        assertThat(Envelopes.control(auth).getType()).isEqualTo(ControlType.AUTH);
        assertThat(Envelopes.control(auth).getProof().toByteArray()).containsExactly(9, 8);
        assertThat(Envelopes.control(open).hasProof()).isFalse();
        assertThat(Envelopes.sourceNodeId(auth)).isEqualTo(17);
    }

    @Test
    void stampsHopsInOrder() {
        Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:00:00.123456789Z"), ZoneOffset.UTC);
        Envelope request = Envelopes.request(1, "a.b.c", "u", PAYLOAD);

        Envelope twice = Envelopes.stampHop(Envelopes.stampHop(request, 5L), clock);

        assertThat(Envelopes.hopTimestamps(request)).isEmpty();
        assertThat(Envelopes.hopTimestamps(twice))
                .containsExactly(5L, Instant.parse("2025-06-01T12:00:00Z").getEpochSecond() * 1_000_000 + 123_456);
        assertThat(Envelopes.route(twice)).isEqualTo("a.b.c");
    }

    @Test
    void readsAbsentFieldsAsDefaults() {
        Envelope empty = Envelope.getDefaultInstance();

        assertThat(Envelopes.kind(empty)).isEqualTo(Kind.KIND_UNSPECIFIED);
        assertThat(Envelopes.requestId(empty)).isZero();
        assertThat(Envelopes.route(empty)).isEmpty();
        assertThat(Envelopes.targetSessionIds(empty)).isEmpty();
        assertThat(Envelopes.errorCode(empty)).isZero();
        assertThat(Envelopes.isError(empty)).isFalse();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> Envelopes.builder(Kind.KIND_UNSPECIFIED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelopes.builder(Kind.PUSH).gateId(1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateId");
        assertThatThrownBy(() -> Envelopes.hello(-1, "gate")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelopes.request(1, null, "u", PAYLOAD)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void everyResponseCarriesItsErrorFieldsZeroAndEmptyOnSuccess() {
        Envelope ok = Envelopes.response(3, ByteString.copyFromUtf8("{}"));

        assertThat(ok.hasErrorCode()).isTrue();
        assertThat(ok.hasErrorInfo()).isTrue();
        assertThat(Envelopes.errorCode(ok)).isZero();
        assertThat(Envelopes.isError(ok)).isFalse();
        assertThat(Envelopes.request(3, "a.b.c", "u", ByteString.EMPTY).hasErrorCode()).as("requests carry none")
                .isFalse();
    }
}
