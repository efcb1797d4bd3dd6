package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageHeader;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloMessageCodec;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.protocol.Varint;
import io.switchboard.protocol.websocket.EncodedBinaryFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Encodes the answers of one burst for a Pomelo client into one buffer, so they leave with one write: over TCP as
 * consecutive packages, over WebSocket each package in a binary frame of its own (Pomelo's WebSocket clients read one
 * package per frame). Runs on the worker that handled the burst, not on the event loop.
 */
final class BurstEncoding {
    private static final Logger log = LoggerFactory.getLogger(BurstEncoding.class);

    private BurstEncoding() {
    }

    /**
     * The answers as consecutive data packages in one buffer, each in a binary WebSocket frame of its own when
     * {@code framed}; releases them. An answer that cannot be encoded is a server bug: it is logged (with
     * {@code session}) and left out, as the pipeline's encoder would. {@code null} when none could be encoded.
     */
    static ByteBuf encode(List<PomeloMessage> answers, ByteBufAllocator alloc, RouteDictionary dictionary,
                          boolean compressBody, boolean framed, Object session) {
        int size = 0;
        for (PomeloMessage answer : answers) {
            int length = packageLength(answer);
            size += framed ? EncodedBinaryFrames.frameLength(length) : length;
        }
        ByteBuf out = alloc.ioBuffer(size);
        for (PomeloMessage answer : answers) {
            if (!framed) {
                append(answer, out, alloc, dictionary, compressBody, session);
            } else if (!compressBody && answer.type() == MessageType.RESPONSE) {
                // Its length is known before it is written: the frame's header goes first, the package right after.
                int start = out.writerIndex();
                EncodedBinaryFrames.writeHeader(out, packageLength(answer));
                if (append(answer, out, alloc, dictionary, compressBody, session) == null) {
                    out.writerIndex(start); // left out, header and all
                }
            } else {
                // A compressed body's length is known once it is compressed: the package is framed from its own buffer.
                ByteBuf pkg = append(answer, null, alloc, dictionary, compressBody, session);
                if (pkg != null) {
                    EncodedBinaryFrames.writeFrame(out, pkg);
                    pkg.release();
                }
            }
        }
        if (!out.isReadable()) {
            out.release();
            return null;
        }
        return out;
    }

    /**
     * The length of a response's package with its body as it is: exact for an uncompressed response (which has no
     * route); the buffer grows for any other.
     */
    private static int packageLength(PomeloMessage answer) {
        return PackageHeader.HEADER_LENGTH + MessageFlags.FLAG_LENGTH + Varint.length(answer.id())
                + answer.content().readableBytes();
    }

    /**
     * Encodes an answer as a package, appended to {@code out} or (null) in a buffer of its own, and releases it;
     * {@code null} when it cannot be encoded.
     */
    private static ByteBuf append(PomeloMessage answer, ByteBuf out, ByteBufAllocator alloc,
                                  RouteDictionary dictionary, boolean compressBody, Object session) {
        try {
            if (out == null) {
                return PomeloMessageCodec.encodePackage(alloc, answer, dictionary, compressBody);
            }
            PomeloMessageCodec.appendPackage(out, alloc, answer, dictionary, compressBody);
            return out;
        } catch (RuntimeException e) {
            log.error("cannot encode the answer to request {} of {}", answer.id(), session, e);
            return null;
        } finally {
            answer.release();
        }
    }
}
