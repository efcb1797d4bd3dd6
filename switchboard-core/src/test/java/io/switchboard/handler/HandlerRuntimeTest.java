package io.switchboard.handler;

import java.nio.charset.StandardCharsets;
import io.switchboard.gate.GateSession;
import io.switchboard.api.errors.RuntimeErrors;
import java.util.concurrent.CountDownLatch;
import io.switchboard.api.TypedKey;
import io.switchboard.api.Handler;
import io.switchboard.api.HandlerContext;
import io.switchboard.api.Handlers;
import io.switchboard.api.Route;
import io.switchboard.api.errors.HandlerErrors;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.GateConfig;
import io.switchboard.api.errors.GateErrors;
import io.switchboard.api.Session;
import io.switchboard.protocol.Json;
import io.switchboard.server.StandaloneServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Handlers as annotated classes and lambdas, filters, async results and ordering, on a real server. */
class HandlerRuntimeTest {
    private static final TypedKey<Boolean> BUSY = TypedKey.of("busy", Boolean.class);
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private StandaloneServer server;

    @AfterEach
    void tearDown() {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        if (server != null) {
            server.close();
        }
    }

    public record Point(int x, int y) {
    }

    @Handler("t.annotated")
    public static final class Annotated {
        final List<String> notified = new CopyOnWriteArrayList<>();

        @Route
        public Point flip(Point p) {
            return new Point(p.y(), p.x());
        }

        @Route("whoami")
        public Map<String, Object> whoami(HandlerContext ctx, Session session) {
            return Map.of("session", session.id(), "route", ctx.route());
        }

        @Route("note")
        public void note(JsonNode body) {
            notified.add(body.asText());
        }

        @Route("later")
        public CompletableFuture<String> later() {
            return CompletableFuture.supplyAsync(() -> "done");
        }
    }

    private SwitchboardClient start(Handlers handlers) throws Exception {
        server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0))
                .handlers(handlers).adminPort(-1).build().start();
        return client();
    }

    private SwitchboardClient client() throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + server.port())).build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static Response answer(CompletableFuture<Response> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void annotatedHandlersBindBodiesSessionsAndContexts() throws Exception {
        Annotated annotated = new Annotated();
        SwitchboardClient client = start(new Handlers().register(annotated));
        assertThat(answer(client.request("t.annotated.flip", json("{\"x\":1,\"y\":2}"))).json())
                .isEqualTo(json("{\"x\":2,\"y\":1}"));
        JsonNode who = answer(client.request("t.annotated.whoami", json("{}"))).json();
        assertThat(who.get("route").asText()).isEqualTo("t.annotated.whoami");
        assertThat(who.get("session").asLong()).isPositive();
        assertThat(answer(client.request("t.annotated.later", json("{}"))).json().asText()).isEqualTo("done");
        client.notify("t.annotated.note", json("\"a\""));
        // A notify to a request route runs the handler and drops the result.
        client.notify("t.annotated.flip", json("{\"x\":1,\"y\":2}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> annotated.notified.size() == 1);
        assertThat(annotated.notified).containsExactly("a");
    }

    @Test
    void filtersRunInOrderAroundTheHandlerAndMayAnswerThemselves() throws Exception {
        List<String> trail = new CopyOnWriteArrayList<>();
        Handlers handlers = new Handlers()
                .request("t.f.echo", ctx -> {
                    trail.add("handler");
                    return ctx.body(JsonNode.class);
                })
                .filter((ctx, chain) -> {
                    trail.add("auth");
                    if (ctx.route().equals("t.f.secret")) {
                        throw new SwitchboardException(GateErrors.NOT_BOUND);
                    }
                    return chain.proceed(ctx);
                })
                .filter((ctx, chain) -> {
                    trail.add("log-before");
                    return chain.proceed(ctx).thenApply(result -> {
                        trail.add("log-after");
                        return Map.of("wrapped", result);
                    });
                })
                .request("t.f.secret", ctx -> "never");
        SwitchboardClient client = start(handlers);
        assertThat(answer(client.request("t.f.echo", json("5"))).json()).isEqualTo(json("{\"wrapped\":5}"));
        assertThat(trail).containsExactly("auth", "log-before", "handler", "log-after");
        Response refused = answer(client.request("t.f.secret", json("{}")));
        assertThat(refused.errorCode()).isEqualTo(GateErrors.NOT_BOUND.code());
    }

    @Test
    void fullWorkersAnswerOverloadedAndServeAgainOnceFree() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        Handlers handlers = new Handlers()
                .request("t.w.block", ctx -> {
                    busy.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return "unblocked";
                })
                .request("t.w.echo", ctx -> ctx.body(JsonNode.class));
        server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0))
                .handlers(handlers).adminPort(-1).workerThreads(1).workerQueue(1).build().start();
        // One session holds the only worker; a second waits in the one queue slot; a third is refused.
        CompletableFuture<Response> blocked = client().request("t.w.block", json("{}"));
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Response> queued = client().request("t.w.echo", json("1"));
        // Two connections race to the workers: let the second take the slot before the third asks.
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.runtime().workers().waiting() == 1);
        Response refused = answer(client().request("t.w.echo", json("2")));
        assertThat(refused.errorCode()).isEqualTo(RuntimeErrors.OVERLOADED.code());
        release.countDown();
        assertThat(answer(blocked).json().asText()).isEqualTo("unblocked");
        assertThat(answer(queued).json()).isEqualTo(json("1"));
        assertThat(answer(client().request("t.w.echo", json("3"))).json()).isEqualTo(json("3"));
    }

    @Test
    void messagesWhoseStagesAreNotDoneCountAgainstTheSessionsCaps() throws Exception {
        CompletableFuture<Object> gate = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        Handlers handlers = new Handlers().request("t.a.slow", ctx -> {
            started.incrementAndGet();
            return gate.thenApply(v -> ctx.body(JsonNode.class));
        });
        server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0))
                .handlers(handlers).adminPort(-1).maxPendingPerSession(4).build().start();
        SwitchboardClient client = client();
        List<CompletableFuture<Response>> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(client.request("t.a.slow", json(Integer.toString(i))));
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> started.get() == 4);

        // Their handlers returned long ago, but their work is not done: a fifth is refused, not queued behind them.
        Response refused = answer(client.request("t.a.slow", json("5")));
        assertThat(refused.errorCode()).isEqualTo(GateErrors.TOO_MANY_PENDING.code());
        assertThat(started.get()).isEqualTo(4);

        gate.complete(null);
        for (int i = 0; i < 4; i++) {
            assertThat(answer(held.get(i)).json()).isEqualTo(json(Integer.toString(i)));
        }
        assertThat(answer(client.request("t.a.slow", json("6"))).json()).isEqualTo(json("6"));
    }

    @Test
    void bodiesHeldByStagesNotDonePauseTheSessionsReads() throws Exception {
        CompletableFuture<Object> gate = new CompletableFuture<>();
        AtomicInteger done = new AtomicInteger();
        Handlers handlers = new Handlers().request("t.a.big", ctx -> gate.thenApply(v -> done.incrementAndGet()));
        server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0))
                .handlers(handlers).adminPort(-1).maxPendingBytesPerSession(4_096).build().start();
        SwitchboardClient client = client();
        byte[] body = ("\"" + "x".repeat(1_000) + "\"").getBytes(StandardCharsets.UTF_8);
        int sent = 20;
        for (int i = 0; i < sent; i++) {
            client.notify("t.a.big", body);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.gate().channels().size() == 1);
        io.netty.channel.Channel channel = ((GateSession) server.gate().channels().all().iterator().next()).channel();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !channel.config().isAutoRead());

        gate.complete(null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> done.get() == sent);
        await().atMost(10, TimeUnit.SECONDS).until(() -> channel.config().isAutoRead());
    }

    @Test
    void aSessionOverItsByteBudgetIsNotReadUntilTheWorkersCatchUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        Handlers handlers = new Handlers().notify("t.b.big", ctx -> {
            release.await(10, TimeUnit.SECONDS);
            handled.incrementAndGet();
        });
        server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0))
                .handlers(handlers).adminPort(-1).maxPendingBytesPerSession(4_096).build().start();
        SwitchboardClient client = client();
        byte[] body = ("\"" + "x".repeat(1_000) + "\"").getBytes(StandardCharsets.UTF_8);
        int sent = 20;
        for (int i = 0; i < sent; i++) {
            client.notify("t.b.big", body);
        }
        // connect() completes once the ack is sent; the gate makes the session when it reads it.
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.gate().channels().size() == 1);
        io.netty.channel.Channel channel = ((GateSession) server.gate().channels().all().iterator().next()).channel();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !channel.config().isAutoRead());
        assertThat(server.meters().get("switchboard_gate_reads_paused").counter().count()).isGreaterThanOrEqualTo(1);
        release.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> handled.get() == sent);
        await().atMost(10, TimeUnit.SECONDS).until(() -> channel.config().isAutoRead());
    }

    @Test
    void unexpectedExceptionsBecomeHandlerFailedWithoutDetails() throws Exception {
        SwitchboardClient client = start(new Handlers()
                .request("t.x.boom", ctx -> {
                    throw new IllegalStateException("secret internals");
                })
                .request("t.x.async", ctx -> CompletableFuture.failedFuture(
                        new SwitchboardException(HandlerErrors.RATE_LIMITED, "slow down"))));
        Response boom = answer(client.request("t.x.boom", json("{}")));
        assertThat(boom.errorCode()).isEqualTo(HandlerErrors.HANDLER_FAILED.code());
        assertThat(boom.errorMessage()).isEqualTo("internal error");
        Response async = answer(client.request("t.x.async", json("{}")));
        assertThat(async.errorCode()).isEqualTo(HandlerErrors.RATE_LIMITED.code());
        assertThat(async.errorMessage()).isEqualTo("slow down");
    }

    @Test
    void oneSessionsMessagesAreHandledInArrivalOrderOneAtATime() throws Exception {
        int senders = 4;
        int perSender = 200;
        Map<Long, List<Integer>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        Handlers handlers = new Handlers().notify("t.order.n", ctx -> {
            List<Integer> list = seen.computeIfAbsent(ctx.session().id(), id -> new CopyOnWriteArrayList<>());
            Object busy = ctx.session().attributes().putIfAbsent(BUSY, Boolean.TRUE);
            if (busy != null) {
                overlaps.incrementAndGet();
            }
            list.add(ctx.body(Integer.class));
            ctx.session().attributes().remove(BUSY);
            total.incrementAndGet();
        });
        start(handlers);
        List<SwitchboardClient> all = new ArrayList<>(clients);
        for (int i = 1; i < senders; i++) {
            all.add(client());
        }
        List<Thread> threads = new ArrayList<>();
        for (SwitchboardClient c : all) {
            Thread t = new Thread(() -> {
                for (int n = 0; n < perSender; n++) {
                    c.notify("t.order.n", Json.MAPPER.getNodeFactory().numberNode(n));
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> total.get() == senders * perSender);
        assertThat(overlaps.get()).as("handler calls for one session overlapping").isZero();
        assertThat(seen).hasSize(senders);
        List<Integer> expected = java.util.stream.IntStream.range(0, perSender).boxed().toList();
        seen.values().forEach(list -> assertThat(list).isEqualTo(expected));
    }

    @Handler("t.proto")
    public static final class Proto {
        @Route("upper")
        public com.google.protobuf.StringValue upper(com.google.protobuf.StringValue in) {
            return com.google.protobuf.StringValue.of(in.getValue().toUpperCase(java.util.Locale.ROOT));
        }
    }

    @Test
    void protobufSerializerIsAnnouncedAndUsed() throws Exception {
        server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0)
                        .serializer(io.switchboard.serialization.Serializer.named("protobuf")))
                .handlers(new Handlers().register(new Proto())).adminPort(-1).build().start();
        SwitchboardClient client = client();
        assertThat(client.handshakeResponse().at("/sys/serializer").asText()).isEqualTo("protobuf");
        Response response = answer(client.request("t.proto.upper",
                com.google.protobuf.StringValue.of("abc").toByteArray()));
        assertThat(com.google.protobuf.StringValue.parseFrom(response.body()).getValue()).isEqualTo("ABC");
        Response bad = answer(client.request("t.proto.upper", new byte[] {(byte) 0xFF}));
        assertThat(bad.errorCode()).isEqualTo(HandlerErrors.BAD_BODY.code());
    }

    @Test
    void handlersRunOffTheIoThreadsAndTheGateCanPushBySessionId() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        SwitchboardClient client = start(new Handlers().request("t.t.where", ctx -> {
            threads.add(Thread.currentThread().getName());
            return ctx.session().id();
        }));
        long sessionId = answer(client.request("t.t.where", json("{}"))).json().asLong();
        assertThat(threads).singleElement().asString().startsWith("switchboard-worker").doesNotContain("io");
        List<io.switchboard.client.Push> pushes = new CopyOnWriteArrayList<>();
        client.onPush("onNews", pushes::add);
        server.gate().push(sessionId, "onNews", Map.of("n", 1)).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> pushes.size() == 1);
        assertThat(pushes.get(0).json()).isEqualTo(json("{\"n\":1}"));
        assertThat(server.gate().push(sessionId + 1000, "onNews", "x")).isCompletedExceptionally();
    }

    @Test
    void routesMustBeServiceHandlerMethod() {
        Handlers handlers = new Handlers();
        assertThatThrownBy(() -> handlers.request("nodots", ctx -> null))
                .isInstanceOf(IllegalArgumentException.class);
        handlers.request("a.b.c", ctx -> null);
        assertThatThrownBy(() -> handlers.request("a.b.c", ctx -> null))
                .hasMessageContaining("registered twice");
        assertThatThrownBy(() -> handlers.register(new Object())).hasMessageContaining("@Handler");
    }
}
