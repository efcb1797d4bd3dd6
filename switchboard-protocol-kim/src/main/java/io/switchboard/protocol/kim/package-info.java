/**
 * KIM's client wire (seed 002; DESIGN §12), byte for byte as klintcheng/kim writes it. Read from that repository:
 * {@code wire/definitions.go} (the magics, {@code login.signin}), {@code wire/pkt/packet.go} (a logic packet is its
 * header and its body, each written by {@code endian.WriteBytes}), {@code wire/pkt/basic_pkt.go} (code, length,
 * body), {@code wire/pkt/read_write.go} (the magic in front), {@code wire/endian/helper.go} (little-endian, a
 * {@code uint32} length before bytes), {@code wire/proto/common.proto} and {@code wire/proto/protocol.proto} (the
 * header and bodies), and {@code tcp/connection.go} and {@code tcp/client.go} (over TCP every packet travels in a
 * frame {@code [opcode u8][length u32][payload]}, with WebSocket's opcodes; ping, pong and close are frames too).
 * Over WebSocket a binary frame's payload is one packet.
 * <pre>
 * logic packet  c3 11 a3 65 | header length u32 LE | Header protobuf | body length u32 LE | body
 * basic packet  c3 15 a7 65 | code u16 LE (1 ping, 2 pong) | length u16 LE | body
 * TCP frame     opcode u8 (2 binary, 8 close, 9 ping, 10 pong) | payload length u32 LE | payload
 * </pre>
 */
package io.switchboard.protocol.kim;
