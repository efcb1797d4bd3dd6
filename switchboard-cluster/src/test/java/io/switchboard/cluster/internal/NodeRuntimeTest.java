package io.switchboard.cluster.internal;

import io.switchboard.api.Handlers;
import io.switchboard.api.errors.GateErrors;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.api.errors.RuntimeErrors;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.serialization.JsonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class NodeRuntimeTest {
    private static final int NODE_ID = 3;
    private static final int GATE_ID = TestLinks.GATE_ID;

    private final TestLinks links = new TestLinks();
    private final AtomicInteger handled = new AtomicInteger();
    /** Workers whose queue is full: every task is refused. */
    private final Executor fullWorkers = task -> {
        throw new RejectedExecutionException("full");
    };
    private final NodeRuntime runtime = new NodeRuntime(() -> NODE_ID,
            new Handlers().request("demo.echo.say", ctx -> handled.incrementAndGet()), fullWorkers,
            JsonSerializer.INSTANCE, LinkSettings.defaults(), ClusterMetrics.inMemory(), link -> { }, () -> { }, null);

    @AfterEach
    void close() {
        links.close();
    }

    private static Envelope request(long requestId, Long sessionId) {
        var envelope = Envelopes.builder(Kind.REQUEST).requestId(requestId).route("demo.echo.say")
                .payload("{}".getBytes(StandardCharsets.UTF_8));
        if (sessionId != null) {
            envelope.sessionId(sessionId).gateId(GATE_ID);
        }
        return envelope.build();
    }

    @Test
    void fullWorkersAnswerOverloadedAndKeepTheLink() {
        Link gate = links.open(GATE_ID, "gate");
        runtime.received(gate, request(11, 5L));
        runtime.received(gate, request(12, null));

        List<Envelope> answers = TestLinks.sent(gate);
        assertThat(answers).hasSize(2);
        assertThat(answers).allSatisfy(answer -> {
            assertThat(Envelopes.isError(answer)).isTrue();
            assertThat(Envelopes.errorCode(answer)).isEqualTo(RuntimeErrors.OVERLOADED.code());
        });
        assertThat(answers).extracting(Envelopes::requestId).containsExactly(11L, 12L);
        assertThat(gate.isActive()).as("the link stays up").isTrue();
        assertThat(handled).hasValue(0);
    }

    @Test
    void aRequestWhoseDeadlinePassedWhileQueuedIsDroppedUnrunAndCounted() {
        ManualTicker ticker = new ManualTicker();
        ClusterMetrics metrics = ClusterMetrics.inMemory();
        Queue<Runnable> queued = new ArrayDeque<>();
        NodeRuntime node = new NodeRuntime(() -> NODE_ID,
                new Handlers().request("demo.echo.say", ctx -> handled.incrementAndGet()), queued::add,
                JsonSerializer.INSTANCE, LinkSettings.defaults().withTicker(ticker), metrics, link -> { }, () -> { },
                null);
        Link gate = links.open(GATE_ID, "gate");

        node.received(gate, withRemaining(request(21, 5L), 100)); // times out in the queue
        node.received(gate, withRemaining(request(22, null), 100)); // a node's call: same
        ticker.advance(Duration.ofMillis(100));
        node.received(gate, withRemaining(request(23, 6L), 100)); // arrives in time
        node.received(gate, request(24, 7L)); // carries no deadline: always runs
        for (Runnable task; (task = queued.poll()) != null; ) {
            task.run();
        }

        assertThat(handled).as("only the two still awaited").hasValue(2);
        assertThat(TestLinks.sent(gate)).extracting(Envelopes::requestId).as("the dropped ones are not answered")
                .containsExactlyInAnyOrder(23L, 24L);
        assertThat(metrics.requestsExpired()).isEqualTo(2);
    }

    @Test
    void aSessionsWorkInHandIsCappedHeldStagesIncludedAndOtherSessionsAreNot() {
        CompletableFuture<Object> gateOpen = new CompletableFuture<>();
        ClusterMetrics metrics = ClusterMetrics.inMemory();
        NodeRuntime node = new NodeRuntime(() -> NODE_ID,
                new Handlers().request("demo.echo.say", ctx -> gateOpen.thenApply(v -> handled.incrementAndGet())),
                Runnable::run, JsonSerializer.INSTANCE, LinkSettings.defaults(), metrics, link -> { }, () -> { },
                null, new NodeRuntime.SessionLimits(3, 1 << 20));
        Link gate = links.open(GATE_ID, "gate");

        // A room's route returns at once with a stage: the work stays in hand until the stage is done.
        for (long id = 1; id <= 3; id++) {
            node.received(gate, request(id, 5L));
        }
        node.received(gate, request(4, 5L));
        node.received(gate, Envelopes.builder(Kind.NOTIFY).route("demo.echo.say").sessionId(5L).gateId(GATE_ID)
                .payload("{}".getBytes(StandardCharsets.UTF_8)).build());
        node.received(gate, request(5, 6L)); // another session: its own budget

        assertThat(TestLinks.sent(gate)).singleElement().satisfies(answer -> {
            assertThat(Envelopes.requestId(answer)).isEqualTo(4L);
            assertThat(Envelopes.errorCode(answer)).isEqualTo(GateErrors.TOO_MANY_PENDING.code());
        });
        assertThat(metrics.notifiesDropped()).isEqualTo(1);

        gateOpen.complete(null);
        assertThat(handled).hasValue(4);
        assertThat(TestLinks.sent(gate)).extracting(Envelopes::requestId).containsExactlyInAnyOrder(1L, 2L, 3L, 5L);
        node.received(gate, request(6, 5L)); // the held work is done: room again
        assertThat(TestLinks.sent(gate)).extracting(Envelopes::requestId).containsExactly(6L);
    }

    @Test
    void aSessionsBytesInHandAreCappedButAMessageAloneAlwaysFits() {
        Queue<Runnable> queued = new ArrayDeque<>();
        NodeRuntime node = new NodeRuntime(() -> NODE_ID,
                new Handlers().request("demo.echo.say", ctx -> handled.incrementAndGet()), queued::add,
                JsonSerializer.INSTANCE, LinkSettings.defaults(), ClusterMetrics.inMemory(), link -> { }, () -> { },
                null, new NodeRuntime.SessionLimits(100, 1_000));
        Link gate = links.open(GATE_ID, "gate");
        byte[] big = ("\"" + "x".repeat(1_500) + "\"").getBytes(StandardCharsets.UTF_8);

        node.received(gate, Envelopes.builder(Kind.REQUEST).requestId(1).route("demo.echo.say").sessionId(5L)
                .gateId(GATE_ID).payload(big).build());
        node.received(gate, request(2, 5L));

        assertThat(TestLinks.sent(gate)).singleElement().satisfies(answer ->
                assertThat(Envelopes.errorCode(answer)).isEqualTo(GateErrors.TOO_MANY_PENDING.code()));
        for (Runnable task; (task = queued.poll()) != null; ) {
            task.run();
        }
        assertThat(handled).hasValue(1);
        node.received(gate, request(3, 5L));
        queued.poll().run();
        assertThat(handled).hasValue(2);
    }

    @Test
    void anAnswerTooLargeForALinkFrameBecomesAnErrorAndTheLinkStaysUp() {
        NodeRuntime node = new NodeRuntime(() -> NODE_ID,
                new Handlers().request("demo.echo.say", ctx -> new byte[Envelopes.MAX_SERIALIZED_SIZE]), Runnable::run,
                JsonSerializer.INSTANCE, LinkSettings.defaults(), ClusterMetrics.inMemory(), link -> { }, () -> { },
                null);
        Link gate = links.open(GATE_ID, "gate");

        node.received(gate, request(31, 5L));

        assertThat(TestLinks.sent(gate)).singleElement().satisfies(answer -> {
            assertThat(Envelopes.requestId(answer)).isEqualTo(31L);
            assertThat(Envelopes.errorCode(answer)).isEqualTo(HandlerErrors.ANSWER_TOO_LARGE.code());
            assertThat(Envelopes.fitsInFrame(answer)).isTrue();
        });
        assertThat(gate.isActive()).isTrue();
    }

    @Test
    void aSessionsAddressIsTheClientsAsItsGateSentIt() throws Exception {
        List<SocketAddress> seen = new CopyOnWriteArrayList<>();
        NodeRuntime node = new NodeRuntime(() -> NODE_ID,
                new Handlers().request("demo.echo.say", ctx -> seen.add(ctx.session().remoteAddress())), Runnable::run,
                JsonSerializer.INSTANCE, LinkSettings.defaults(), ClusterMetrics.inMemory(), link -> { }, () -> { },
                null);
        Link gate = links.open(GATE_ID, "gate");
        InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("192.0.2.9"), 50123);

        node.received(gate, request(41, 5L).toBuilder().setClientAddress(Envelopes.addressBytes(client)).build());
        node.received(gate, request(42, 6L));   // a gate that sends none

        assertThat(seen).containsExactly(client, null);
    }

    private static Envelope withRemaining(Envelope request, int remainingMs) {
        return request.toBuilder().setRemainingMs(remainingMs).build();
    }

    @Test
    void aNonBlockingRouteRunsOnTheLinksThreadWhenItsSessionIsIdleAndWaitsItsTurnOtherwise() throws Exception {
        Queue<Runnable> queued = new ArrayDeque<>();
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread linkThread = Thread.currentThread(); // the test delivers as the link's thread would
        NodeRuntime node = new NodeRuntime(() -> NODE_ID, new Handlers()
                .requestNonBlocking("demo.echo.say", ctx -> {
                    ran.add("say " + ctx.bodyBytes().length + (Thread.currentThread() == linkThread ? " here" : ""));
                    return "ok";
                })
                .request("demo.echo.slow", ctx -> {
                    ran.add("slow");
                    return "ok";
                }), queued::add,
                JsonSerializer.INSTANCE, LinkSettings.defaults(), ClusterMetrics.inMemory(), link -> { }, () -> { },
                null);
        Link gate = links.open(GATE_ID, "gate");

        node.received(gate, request(31, 5L));
        assertThat(ran).as("run at once, on the reading thread").containsExactly("say 2 here");
        assertThat(queued).as("no hand-off to the workers").isEmpty();
        assertThat(TestLinks.sent(gate)).extracting(Envelopes::requestId).containsExactly(31L);

        // The session has a message waiting on the workers: the next one waits behind it, in order.
        node.received(gate, request(32, 5L).toBuilder().setRoute("demo.echo.slow").build());
        node.received(gate, request(33, 5L));
        node.received(gate, request(34, 6L)); // another session, idle: runs here
        assertThat(ran).containsExactly("say 2 here", "say 2 here");
        Thread worker = new Thread(() -> {
            for (Runnable task; (task = queued.poll()) != null; ) {
                task.run();
            }
        });
        worker.start();
        worker.join(10_000);
        assertThat(ran).containsExactly("say 2 here", "say 2 here", "slow", "say 2");
        assertThat(TestLinks.sent(gate)).extracting(Envelopes::requestId).containsExactly(34L, 32L, 33L);
    }
}
