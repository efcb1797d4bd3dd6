/**
 * DOMI's client frame (seed 001, "封包格式"; DESIGN §12) as Netty codecs:
 * {@code [length u32][extendSize u16][frameType u16][data][extend]}, all big-endian.
 *
 * <p>{@code length} counts the whole frame, its 8-byte header included. The seed only says "the packet's length";
 * DOMI's own Go code ({@code transport/frame.go}: {@code NewFrameSlice}) writes {@code 8 + len(data) + len(extend)}
 * there, so that is the reading taken. Byte order is big-endian (network order), where DOMI's Go code writes
 * little-endian: big-endian puts {@code 0x00} first in every frame under 16 MiB, which is what tells DOMI apart from
 * Pomelo (types 1–5), KIM (magic {@code c3 ..}) and HTTP ({@code 'A'–'Z'}) on the one client port.
 *
 * <p>{@code frameType} is the event: from {@value io.switchboard.protocol.domi.DomiEvents#FIRST_USER_EVENT} on a
 * route code of the gate's route dictionary; below it reserved ({@link io.switchboard.protocol.domi.DomiEvents}).
 * The codecs know nothing of routes: the gate maps events to its handlers.
 */
package io.switchboard.protocol.domi;
