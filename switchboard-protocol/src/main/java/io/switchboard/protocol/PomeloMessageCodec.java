package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes messages (the body of a data package):
 * {@code [flag:1][id varint, requests and responses][route: 1-byte length + UTF-8, or a 2-byte code][body]}.
 * Stateless; the per-connection choices (dictionary, compression) are passed in.
 */
public final class PomeloMessageCodec {

    private PomeloMessageCodec() {
    }

    /**
     * Encodes {@code msg} as a whole data package (header included) into one buffer.
     *
     * @param dictionary routes found here are sent as codes; {@code null} or empty sends route strings
     * @param compressBody zlib-compress the body (only for clients that asked for it)
     */
    public static ByteBuf encodePackage(ByteBufAllocator alloc, PomeloMessage msg, RouteDictionary dictionary,
                                        boolean compressBody) {
        return writePackage(alloc, null, msg, dictionary, compressBody);
    }

    /**
     * Appends {@code msg} as a whole data package (header included) to {@code out}, which grows as needed: several
     * packages in one buffer leave in one write, and a Pomelo client reads them one after the other as it reads a
     * stream. {@code alloc} is only for a compressed body's scratch buffer.
     */
    public static void appendPackage(ByteBuf out, ByteBufAllocator alloc, PomeloMessage msg,
                                     RouteDictionary dictionary, boolean compressBody) {
        writePackage(alloc, out, msg, dictionary, compressBody);
    }

    /** Writes the package into {@code out}, or into a new buffer of its exact size when {@code out} is null. */
    private static ByteBuf writePackage(ByteBufAllocator alloc, ByteBuf out, PomeloMessage msg,
                                        RouteDictionary dictionary, boolean compressBody) {
        ByteBuf body = msg.content();
        ByteBuf deflated = compressBody && body.isReadable() ? BodyCompression.deflate(alloc, body) : null;
        try {
            ByteBuf payload = deflated != null ? deflated : body;
            int flag = MessageFlags.typeBits(msg.type());
            if (msg.isError()) {
                flag |= MessageFlags.ERROR;
            }
            if (deflated != null) {
                flag |= MessageFlags.BODY_COMPRESSED;
            }
            int routeCode = 0;
            byte[] routeBytes = null;
            int routeLength = 0;
            if (msg.type().hasRoute()) {
                routeCode = dictionary == null ? 0 : dictionary.codeOf(msg.route());
                if (routeCode != 0) {
                    flag |= MessageFlags.ROUTE_COMPRESSED;
                    routeLength = MessageFlags.ROUTE_CODE_LENGTH;
                } else {
                    routeBytes = msg.route().getBytes(StandardCharsets.UTF_8);
                    if (routeBytes.length > MessageFlags.MAX_ROUTE_LENGTH) {
                        throw new IllegalArgumentException("route longer than 255 bytes: " + msg.route());
                    }
                    routeLength = MessageFlags.ROUTE_LENGTH_FIELD_LENGTH + routeBytes.length;
                }
            }
            int idLength = msg.type().hasId() ? Varint.length(msg.id()) : 0;
            int messageLength = MessageFlags.FLAG_LENGTH + idLength + routeLength + payload.readableBytes();
            if (messageLength > PackageHeader.MAX_BODY_LENGTH) {
                // Before any buffer is taken: nothing to give back.
                throw new BodyTooLargeException(messageLength, PackageHeader.MAX_BODY_LENGTH);
            }
            if (out == null) {
                out = alloc.ioBuffer(PackageHeader.HEADER_LENGTH + messageLength);
            } else {
                out.ensureWritable(PackageHeader.HEADER_LENGTH + messageLength);
            }
            PomeloPackageEncoder.writeHeader(out, PackageType.DATA, messageLength);
            out.writeByte(flag);
            if (msg.type().hasId()) {
                Varint.write(out, msg.id());
            }
            if (routeCode != 0) {
                out.writeShort(routeCode);
            } else if (routeBytes != null) {
                out.writeByte(routeBytes.length);
                out.writeBytes(routeBytes);
            }
            out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            return out;
        } finally {
            if (deflated != null) {
                deflated.release();
            }
        }
    }

    /** Whether a response to request {@code id} with {@code bodyLength} bytes of body fits in one package as it is. */
    public static boolean responseFits(long id, int bodyLength) {
        return MessageFlags.FLAG_LENGTH + Varint.length(id) + (long) bodyLength <= PackageHeader.MAX_BODY_LENGTH;
    }

    /**
     * Decodes a message from the body of a data package of a connection that did not negotiate compression: a
     * compressed body is refused. See {@link #decode(ByteBufAllocator, ByteBuf, RouteDictionary, int, boolean)}.
     */
    public static PomeloMessage decode(ByteBufAllocator alloc, ByteBuf in, RouteDictionary dictionary,
                                       int maxBodyLength) {
        return decode(alloc, in, dictionary, maxBodyLength, false);
    }

    /**
     * Decodes a message from the body of a data package. The returned message's body is a retained slice
     * of {@code in} (or a new buffer when the body was compressed). Malformed input throws
     * {@link PomeloProtocolException} and retains nothing.
     *
     * @param maxBodyLength         bound on an inflated body
     * @param compressionNegotiated whether the peer asked for compressed bodies; if not, one is refused
     *                              ({@link CompressionNotNegotiatedException}) and never inflated
     */
    public static PomeloMessage decode(ByteBufAllocator alloc, ByteBuf in, RouteDictionary dictionary,
                                       int maxBodyLength, boolean compressionNegotiated) {
        if (!in.isReadable()) {
            throw new PomeloProtocolException("empty data package");
        }
        int flag = in.readUnsignedByte();
        if (MessageFlags.bodyCompressed(flag) && !compressionNegotiated) {
            throw new CompressionNotNegotiatedException();
        }
        MessageType type = MessageType.fromCode(MessageFlags.typeCode(flag));
        if (type == null) {
            throw new PomeloProtocolException("unknown message type " + MessageFlags.typeCode(flag));
        }
        long id = type.hasId() ? Varint.read(in) : 0;
        if (id < 0) {
            // A ten-byte varint can set the sign bit; ids are never negative.
            throw new PomeloProtocolException("message id out of range");
        }
        String route = null;
        if (type.hasRoute()) {
            if ((flag & MessageFlags.ROUTE_COMPRESSED) != 0) {
                if (in.readableBytes() < MessageFlags.ROUTE_CODE_LENGTH) {
                    throw new PomeloProtocolException("truncated route code");
                }
                int code = in.readUnsignedShort();
                route = dictionary == null ? null : dictionary.routeOf(code);
                if (route == null) {
                    throw new PomeloProtocolException("unknown route code " + code);
                }
            } else {
                if (!in.isReadable()) {
                    throw new PomeloProtocolException("missing route length");
                }
                int length = in.readUnsignedByte();
                if (in.readableBytes() < length) {
                    throw new PomeloProtocolException("route length " + length + " past the end of the message");
                }
                route = in.readCharSequence(length, StandardCharsets.UTF_8).toString();
            }
        }
        boolean error = (flag & MessageFlags.ERROR) != 0;
        ByteBuf body;
        if (MessageFlags.bodyCompressed(flag) && in.isReadable()) {
            body = BodyCompression.inflate(alloc, in, maxBodyLength);
            in.skipBytes(in.readableBytes());
        } else {
            body = in.readRetainedSlice(in.readableBytes());
        }
        return PomeloMessage.of(type, id, route, error, body);
    }
}
