package io.switchboard.client.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.RouteDictionary;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteCodesTest {

    @Test
    void aDictionaryNumberedLikeRouteDictionaryIsUsedAsOne() {
        RouteDictionary server = RouteDictionary.of(Map.of("sys.kick", 2), Set.of("b.x", "a.x"));

        RouteCodes routes = RouteCodes.of(server.routeToCode());

        assertThat(routes.dictionary()).isNotNull();
        assertThat(routes.dictionary().routeToCode()).isEqualTo(server.routeToCode());
    }

    @Test
    void anyDictionaryOfLowCodesIsUsedAsOne() {
        // Pomelo numbers from 1 in file order; up to 49 routes that is always expressible.
        Map<String, Integer> pomelo = new LinkedHashMap<>();
        pomelo.put("z.last", 1);
        pomelo.put("a.first", 2);

        assertThat(RouteCodes.of(pomelo).dictionary()).isNotNull();
        assertThat(RouteCodes.of(pomelo).dictionary().codeOf("a.first")).isEqualTo(2);
    }

    @Test
    void aFreelyNumberedDictionaryIsReadButNotUsedForSending() {
        RouteCodes routes = RouteCodes.of(Map.of("b.route", 60, "a.route", 61));

        assertThat(routes.dictionary()).isNull();
        assertThat(routes.routeOf(61)).isEqualTo("a.route");
        assertThat(routes.routeOf(62)).isNull();
    }

    @Test
    void expanderTurnsRouteCodesIntoStrings() {
        EmbeddedChannel channel = new EmbeddedChannel(new RouteCodeExpander(RouteCodes.of(Map.of("a.route", 61))));

        // Push, code 61, body "1".
        channel.writeInbound(pkg("07003d31"));
        // Response id 1: no route, passes unchanged.
        channel.writeInbound(pkg("040131"));
        // Push with a route string: unchanged.
        channel.writeInbound(pkg("060161" + "31"));

        assertThat(readHex(channel)).isEqualTo("06" + "07" + HexFormat.of().formatHex("a.route".getBytes()) + "31");
        assertThat(readHex(channel)).isEqualTo("040131");
        assertThat(readHex(channel)).isEqualTo("06016131");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void expanderRefusesAnUnknownCode() {
        EmbeddedChannel channel = new EmbeddedChannel(new RouteCodeExpander(RouteCodes.of(Map.of("a.route", 61))));

        assertThatThrownBy(() -> channel.writeInbound(pkg("07003e31")))
                .isInstanceOf(PomeloProtocolException.class).hasMessageContaining("unknown route code 62");
        assertThat(channel.finish()).isFalse();
    }

    private static PomeloPackage pkg(String hex) {
        return new PomeloPackage(PackageType.DATA, Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
    }

    private static String readHex(EmbeddedChannel channel) {
        PomeloPackage pkg = channel.readInbound();
        try {
            ByteBuf body = pkg.content();
            return ByteBufUtil.hexDump(body);
        } finally {
            pkg.release();
        }
    }
}
