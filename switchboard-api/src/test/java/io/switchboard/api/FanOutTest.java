package io.switchboard.api;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FanOut#pushAll}: one fan-out gets the caller's list as it is; a mix is grouped by fan-out. */
class FanOutTest {
    private final List<List<? extends Session>> toA = new ArrayList<>();
    private final List<List<? extends Session>> toB = new ArrayList<>();
    private final FanOut a = (sessions, route, body) -> toA.add(sessions);
    private final FanOut b = (sessions, route, body) -> toB.add(sessions);

    @Test
    void sessionsOfOneFanOutGoAsTheyAre() {
        List<Session> room = List.of(session(a), session(a), session(a));

        FanOut.pushAll(room, "onChat", new byte[0]);

        assertThat(toA).singleElement().isSameAs(room);
        assertThat(toB).isEmpty();
    }

    @Test
    void aMixIsGroupedByFanOut() {
        Session a1 = session(a);
        Session b1 = session(b);
        Session a2 = session(a);

        FanOut.pushAll(List.of(a1, b1, a2), "onChat", new byte[0]);
        FanOut.pushAll(Set.of(b1), "onChat", new byte[0]);

        assertThat(toA).singleElement().isEqualTo(List.of(a1, a2));
        assertThat(toB).containsExactly(List.of(b1), List.of(b1));
    }

    /** A session whose only answer is its fan-out. */
    private static Session session(FanOut fanOut) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "fanOut" -> fanOut;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "session";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
