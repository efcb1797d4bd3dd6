package io.switchboard.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.Varint;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Rewrites data packages whose route is a code from a dictionary that {@link RouteCodes} cannot hand to the
 * protocol's decoder, so that they carry the route string instead; every other package passes unchanged.
 * Sits just before the message decoder, and only on connections that need it.
 */
public final class RouteCodeExpander extends MessageToMessageDecoder<PomeloPackage> {
    private final RouteCodes routes;

    public RouteCodeExpander(RouteCodes routes) {
        super(PomeloPackage.class);
        this.routes = routes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, PomeloPackage pkg, List<Object> out) {
        ByteBuf in = pkg.content();
        if (pkg.type() != PackageType.DATA || !in.isReadable() || !hasRouteCode(in.getUnsignedByte(in.readerIndex()))) {
            out.add(pkg.retain());
            return;
        }
        ByteBuf reader = in.duplicate();
        int flag = reader.readUnsignedByte();
        MessageType type = MessageType.fromCode(MessageFlags.typeCode(flag));
        int idStart = reader.readerIndex();
        if (type.hasId()) {
            Varint.read(reader);
        }
        int idLength = reader.readerIndex() - idStart;
        if (reader.readableBytes() < MessageFlags.ROUTE_CODE_LENGTH) {
            throw new PomeloProtocolException("truncated route code");
        }
        int code = reader.readUnsignedShort();
        String route = routes.routeOf(code);
        if (route == null) {
            throw new PomeloProtocolException("unknown route code " + code);
        }
        byte[] routeBytes = route.getBytes(StandardCharsets.UTF_8);
        if (routeBytes.length > MessageFlags.MAX_ROUTE_LENGTH) {
            throw new PomeloProtocolException("route of code " + code + " is longer than 255 bytes");
        }
        ByteBuf expanded = ctx.alloc().buffer(1 + idLength + MessageFlags.ROUTE_LENGTH_FIELD_LENGTH
                + routeBytes.length + reader.readableBytes());
        expanded.writeByte(flag & ~MessageFlags.ROUTE_COMPRESSED);
        expanded.writeBytes(in, idStart, idLength);
        expanded.writeByte(routeBytes.length);
        expanded.writeBytes(routeBytes);
        expanded.writeBytes(reader);
        out.add(new PomeloPackage(PackageType.DATA, expanded));
    }

    private static boolean hasRouteCode(int flag) {
        MessageType type = MessageType.fromCode(MessageFlags.typeCode(flag));
        return type != null && type.hasRoute() && (flag & MessageFlags.ROUTE_COMPRESSED) != 0;
    }
}
