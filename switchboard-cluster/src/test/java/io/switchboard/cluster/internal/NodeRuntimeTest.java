package io.switchboard.cluster.internal;

import io.switchboard.api.Handlers;
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
