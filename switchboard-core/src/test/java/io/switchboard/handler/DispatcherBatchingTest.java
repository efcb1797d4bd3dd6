package io.switchboard.handler;

import io.switchboard.gate.GateSession;
import io.switchboard.api.FanOut;
import io.switchboard.api.Handler;
import io.switchboard.api.Handlers;
import io.switchboard.api.NotifyHandler;
import io.switchboard.api.Route;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.api.Session;
import io.switchboard.protocol.Json;
import io.switchboard.server.StandaloneServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher hands a session's read burst to the workers as one task and lets non-blocking routes run on the I/O
 * thread: arrival order, answers after the pushes made before them, and which thread runs what.
 */
class DispatcherBatchingTest {
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private StandaloneServer server;

    @AfterEach
    void tearDown() {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        if (server != null) {
            server.close();
        }
    }

    private void start(Handlers handlers) throws Exception {
        server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0))
                .handlers(handlers).adminPort(-1).build().start();
    }

    private SwitchboardClient client() throws Exception {
        return client("tcp");
    }

    private SwitchboardClient client(String scheme) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create(scheme + "://127.0.0.1:" + server.port()))
                .build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static boolean onIoThread(Session session) {
        return ((GateSession) session).channel().eventLoop().inEventLoop();
    }

    /** Over WebSocket a burst's answers are frames written into one buffer, over TCP packages: the order is the same. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void pipelinedRequestsAreHandledInOrderAndAnswersAndPushesArriveInTheOrderTheyWereSent(String scheme)
            throws Exception {
        pipelinedInOrder(scheme, (session, n) -> session.push("onGo", n));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ws"})
    void aFanOutToTheSessionItselfLeavesAfterTheAnswersBeforeIt(String scheme) throws Exception {
        pipelinedInOrder(scheme, (session, n) -> FanOut.pushAll(List.of(session), "onGo",
                String.valueOf(n).getBytes(StandardCharsets.UTF_8)));
    }

    private void pipelinedInOrder(String scheme, BiConsumer<Session, Integer> pushFromHandler) throws Exception {
        int perClient = 200; // below the 256 a session may have queued
        Map<Long, List<Integer>> handled = new ConcurrentHashMap<>();
        AtomicInteger onIo = new AtomicInteger();
        start(new Handlers().request("t.burst.go", ctx -> {
            if (onIoThread(ctx.session())) {
                onIo.incrementAndGet();
            }
            int n = ctx.body(Integer.class);
            handled.computeIfAbsent(ctx.session().id(), id -> new CopyOnWriteArrayList<>()).add(n);
            pushFromHandler.accept(ctx.session(), n);
            return n;
        }));
        List<SwitchboardClient> all = List.of(client(scheme), client(scheme), client(scheme));
        List<List<String>> arrivals = new ArrayList<>();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (SwitchboardClient c : all) {
            List<String> arrived = new CopyOnWriteArrayList<>();
            arrivals.add(arrived);
            c.onPush("onGo", push -> arrived.add("push " + push.json().asInt()));
            for (int n = 0; n < perClient; n++) {
                int sent = n;
                CompletableFuture<Response> answer = c.request("t.burst.go",
                        Json.MAPPER.getNodeFactory().numberNode(n));
                answers.add(answer.thenAccept(r -> {
                    assertThat(r.json().asInt()).isEqualTo(sent);
                    arrived.add("answer " + sent);
                }));
            }
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        List<Integer> expected = IntStream.range(0, perClient).boxed().toList();
        assertThat(handled).hasSize(all.size());
        handled.values().forEach(list -> assertThat(list).isEqualTo(expected));
        assertThat(onIo.get()).as("default routes never run on an I/O thread").isZero();
        // Each push leaves after the answers before it and before its own: answers gathered for a burst's one
        // write go out ahead of a push the handler of a later message makes.
        List<String> sentOrder = new ArrayList<>();
        for (int n = 0; n < perClient; n++) {
            sentOrder.add("push " + n);
            sentOrder.add("answer " + n);
        }
        for (List<String> arrived : arrivals) {
            await().atMost(Duration.ofSeconds(10)).until(() -> arrived.size() == 2 * perClient);
            assertThat(arrived).isEqualTo(sentOrder);
        }
    }

    @Handler("t.nb")
    public static final class NonBlocking {
        final List<Boolean> ranOnIo = new CopyOnWriteArrayList<>();

        @Route(value = "where", nonBlocking = true)
        public boolean where(Session session) {
            ranOnIo.add(onIoThread(session));
            return onIoThread(session);
        }

        @Route("worker")
        public boolean worker(Session session) {
            return onIoThread(session);
        }
    }

    @Test
    void nonBlockingRoutesRunOnTheIoThreadAndOthersStayOff() throws Exception {
        NonBlocking handler = new NonBlocking();
        start(new Handlers().register(handler)
                .requestNonBlocking("t.nb.lambda", ctx -> onIoThread(ctx.session())));
        SwitchboardClient client = client();
        JsonNode empty = Json.MAPPER.createObjectNode();
        assertThat(client.request("t.nb.where", empty).get(10, TimeUnit.SECONDS).json().asBoolean()).isTrue();
        assertThat(client.request("t.nb.lambda", empty).get(10, TimeUnit.SECONDS).json().asBoolean()).isTrue();
        assertThat(client.request("t.nb.worker", empty).get(10, TimeUnit.SECONDS).json().asBoolean()).isFalse();
        assertThat(new Handlers().register(handler).table().lookup("t.nb.where").nonBlocking()).isTrue();
        assertThat(new Handlers().register(handler).table().lookup("t.nb.worker").nonBlocking()).isFalse();
    }

    @Test
    void nonBlockingMessagesWaitBehindTheSessionsQueuedWork() throws Exception {
        int count = 240; // below the 256 a session may have queued: more would be refused
        Map<Long, List<Integer>> handled = new ConcurrentHashMap<>();
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger fastOnIo = new AtomicInteger();
        AtomicInteger slowOnIo = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        NotifyHandler record = ctx -> {
            if (busy.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            int n = ctx.body(Integer.class);
            handled.computeIfAbsent(ctx.session().id(), id -> new CopyOnWriteArrayList<>()).add(n);
            busy.decrementAndGet();
            total.incrementAndGet();
        };
        start(new Handlers()
                .notifyNonBlocking("t.mix.fast", ctx -> {
                    if (onIoThread(ctx.session())) {
                        fastOnIo.incrementAndGet();
                    }
                    record.handle(ctx);
                })
                .notify("t.mix.slow", ctx -> {
                    if (onIoThread(ctx.session())) {
                        slowOnIo.incrementAndGet();
                    }
                    if (ctx.body(Integer.class) % 40 == 1) {
                        Thread.sleep(5); // lets the next messages pile up behind it
                    }
                    record.handle(ctx);
                }));
        SwitchboardClient client = client();
        // Starts with a fast one on an idle session: that one runs on the I/O thread for sure.
        for (int n = 0; n < count; n++) {
            client.notify(n % 3 == 1 ? "t.mix.slow" : "t.mix.fast", Json.MAPPER.getNodeFactory().numberNode(n));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> total.get() == count);
        assertThat(overlaps.get()).as("handler calls of one session overlapping").isZero();
        assertThat(handled.values()).singleElement()
                .isEqualTo(IntStream.range(0, count).boxed().toList());
        assertThat(fastOnIo.get()).isPositive();
        assertThat(slowOnIo.get()).isZero();
    }
}
