package io.switchboard.api;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandlersTest {

    @Handler("t.annotated")
    public static final class Annotated {
        @Route
        public String hello(String name) {
            return "hello " + name;
        }

        @Route(value = "fast", nonBlocking = true)
        public void fast() {
        }
    }

    @Test
    void theTableIsWhatWasRegisteredAndLaterRegistrationsDoNotShowInIt() {
        Filter filter = (ctx, chain) -> chain.proceed(ctx);
        Handlers handlers = new Handlers()
                .request("t.a.req", ctx -> "ok")
                .notify("t.a.note", ctx -> { })
                .register(new Annotated())
                .filter(filter)
                .pushRoutes("onThing")
                .placeByRoom("t.a.req", "room");
        HandlerTable table = handlers.table();
        handlers.request("t.a.later", ctx -> "later");

        assertThat(table.routes()).containsExactlyInAnyOrder("t.a.req", "t.a.note", "t.annotated.hello", "t.annotated.fast");
        assertThat(table.lookup("t.a.req").takesRequests()).isTrue();
        assertThat(table.lookup("t.a.note").takesRequests()).isFalse();
        assertThat(table.lookup("t.annotated.fast").nonBlocking()).isTrue();
        assertThat(table.lookup("t.a.later")).isNull();
        assertThat(table.filters()).containsExactly(filter);
        assertThat(table.pushRoutes()).containsExactly("onThing");
        assertThat(table.roomKeys()).isEqualTo(Map.of("t.a.req", "room"));
    }

    @Test
    void badRoutesAndDoubleDeclarationsAreRefused() {
        Handlers handlers = new Handlers().request("t.a.b", ctx -> null).placeByRoom("t.a.b", "room");
        assertThatThrownBy(() -> handlers.request("t.a.b", ctx -> null)).hasMessageContaining("twice");
        assertThatThrownBy(() -> handlers.request("not-a-route", ctx -> null))
                .hasMessageContaining("service.handler.method");
        assertThatThrownBy(() -> handlers.placeByRoom("t.a.b", "other")).hasMessageContaining("twice");
        assertThatThrownBy(() -> handlers.placeByRoom("t.a.c", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handlers.register(new Object())).hasMessageContaining("@Handler");
    }

    @Test
    void aRouteIsThreeNonEmptySegmentsOfLettersDigitsUnderscoresAndDashes() {
        assertThat(Handlers.isValidRoute("chat.room_1.say-hi")).isTrue();
        assertThat(Handlers.isValidRoute("A.b.9")).isTrue();
        for (String bad : new String[] {null, "", "a", "a.b", "a.b.", ".a.b", "a..b", "a.b.c.d", "a.b.c.", "a.b c.d",
                "a.b.ç", "a.b.c\n", "a/b.c.d", "a.b.c;"}) {
            assertThat(Handlers.isValidRoute(bad)).as("'%s'", bad).isFalse();
        }
    }

    /** The hand-written check against the pattern it replaced, over strings made of the characters that matter. */
    @Test
    void theRouteCheckAgreesWithItsRegularExpression() {
        Pattern route = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        String alphabet = "aZ09_-..../ é";
        Random random = new Random(42);
        int valid = 0;
        for (int n = 0; n < 200_000; n++) {
            char[] chars = new char[random.nextInt(9)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String candidate = new String(chars);
            boolean expected = route.matcher(candidate).matches();
            assertThat(Handlers.isValidRoute(candidate)).as("'%s'", candidate).isEqualTo(expected);
            valid += expected ? 1 : 0;
        }
        assertThat(valid).as("valid routes among the candidates").isGreaterThan(500);
    }
}
