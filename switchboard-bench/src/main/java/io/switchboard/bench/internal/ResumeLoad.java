package io.switchboard.bench.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;
import io.switchboard.protocol.Json;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Resume (DESIGN §11): {@code connections} members in {@code rooms} rooms, each room with a sender that stays. In
 * each of {@code rounds} rounds every member's connection vanishes at once (a TCP reset, no close frame), each
 * sender says {@code says} things to its room meanwhile, and every member dials again with its resume token and
 * push count. Measures resumes per second (the whole reconnect wave), resume latency (connect to handshake answer),
 * pushes replayed (those that reach the resumed connections), resumes refused ({@code resumed: false}) and, once the
 * rounds are over, chat pushes lost or duplicated (each member must have seen every message of its room once).
 */
final class ResumeLoad implements Load {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final BenchOptions options;
    private final LatencyStats resumeLatency = new LatencyStats();
    private final LongAdder resumed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder replayed = new LongAdder();

    ResumeLoad(BenchOptions options) {
        this.options = options;
    }

    /** What a member keeps across its connections, as a resuming client must. */
    private final class Member {
        final int index;
        final int room;
        /** Pushes of every route on the session, over all its connections: the resume's {@code received}. */
        final AtomicLong received = new AtomicLong();
        final AtomicLong chats = new AtomicLong();
        volatile String token;
        volatile BenchConnection connection;

        Member(int index) {
            this.index = index;
            this.room = index % options.rooms();
        }

        /** Counts what {@code c} receives; pushes after its handshake answer count as replayed when it resumed. */
        void attach(BenchConnection c, boolean replaying) {
            connection = c;
            token = c.session().path("resume").asText(null);
            c.pushListener((conn, route, body) -> {
                received.incrementAndGet();
                if (DemoRoutes.ON_CHAT.equals(route)) {
                    chats.incrementAndGet();
                    if (replaying) {
                        replayed.increment();
                    }
                }
            });
        }
    }

    @Override
    public BenchResult run(RunningTarget target, PrintStream out) throws Exception {
        BenchResult.Builder result = BenchResult.builder("resume", target.describe());
        int rounds = options.resumeRounds();
        try (LoadClient client = new LoadClient(target.address(), target.websocket(), options.clientThreads())) {
            List<BenchConnection> senders = new ArrayList<>();
            for (int r = 0; r < options.rooms(); r++) {
                BenchConnection sender = client.connect(null).get(30, TimeUnit.SECONDS);
                join(sender, r, "sender-" + r).get(30, TimeUnit.SECONDS);
                senders.add(sender);
            }
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < options.connections(); i++) {
                Member m = new Member(i);
                BenchConnection c = client.connect(null).get(30, TimeUnit.SECONDS);
                m.attach(c, false);
                join(c, m.room, "m" + i).get(30, TimeUnit.SECONDS);
                members.add(m);
            }
            if (members.stream().anyMatch(m -> m.token == null)) {
                result.problem("the server offers no resume token: is resume on (--resume-grace)?");
                return result.build();
            }
            long resumeNanos = 0;
            Progress.Rate meter = new Progress.Rate();
            try (Progress progress = new Progress(out, options.progressInterval(), "resume", () -> String.format(
                    Locale.ROOT, "members %d  resumed %,.0f/s  refused %d  %s", members.size(),
                    meter.perSecond(resumed.sum()), refused.sum(), Progress.percentiles(resumeLatency.total())))) {
                for (int round = 0; round < rounds; round++) {
                    CompletableFuture.allOf(members.stream().map(m -> m.connection.abort())
                            .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                    for (int r = 0; r < senders.size(); r++) {
                        say(senders.get(r), round, r);
                    }
                    long start = System.nanoTime();
                    resumeAll(client, members);
                    resumeNanos += System.nanoTime() - start;
                }
                long expected = (long) rounds * options.churnMessages();
                boolean settled = Load.await(() -> members.stream().allMatch(m -> m.chats.get() >= expected), SETTLE);
                long lost = 0;
                long duplicated = 0;
                for (Member m : members) {
                    lost += Math.max(0, expected - m.chats.get());
                    duplicated += Math.max(0, m.chats.get() - expected);
                }
                long resumes = resumed.sum();
                result.figure("members", (long) members.size()).figure("rooms", (long) options.rooms())
                        .figure("rounds", (long) rounds).figure("says_per_round", (long) options.churnMessages())
                        .figure("resumes", resumes)
                        .figure("resumes_per_s", Math.round(resumes / (resumeNanos / 1e9) * 10) / 10.0)
                        .figure("resumes_refused", refused.sum())
                        .figure("pushes_replayed", replayed.sum())
                        .figure("pushes_lost", lost)
                        .figure("pushes_duplicated", duplicated)
                        .latency("", resumeLatency.total());
                if (refused.sum() > 0 || failed.sum() > 0) {
                    result.problem(refused.sum() + " resumes refused (resumed: false), " + failed.sum()
                            + " reconnects failed");
                }
                if (!settled || lost > 0 || duplicated > 0) {
                    result.problem(lost + " chat pushes lost, " + duplicated + " duplicated");
                }
                result.note("latency: dial to the handshake answer of a resume; resumes_per_s: resumes over the "
                        + "time of the reconnect waves; pushes_replayed: chat pushes on resumed connections, all "
                        + "sent while the members were away");
            }
        }
        return result.build();
    }

    /** Dials every member again with its token and count, a bounded number at a time, and waits for all. */
    private void resumeAll(LoadClient client, List<Member> members) throws Exception {
        Semaphore permits = new Semaphore(Math.max(1, options.connectConcurrency()));
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (Member m : members) {
            permits.acquire();
            String user = Json.MAPPER.createObjectNode().put("resume", m.token).put("received", m.received.get())
                    .toString();
            long start = System.nanoTime();
            all.add(client.connect(null, user).whenComplete((c, e) -> {
                permits.release();
                if (c == null) {
                    failed.increment();
                    return;
                }
                resumeLatency.record(System.nanoTime() - start);
                boolean ok = c.session().path("resumed").asBoolean(false);
                (ok ? resumed : refused).increment();
                if (!ok) {
                    m.received.set(0); // a fresh session counts from zero
                }
                // The replay follows the handshake-ack: the listener is set on the event loop before any read of it.
                m.attach(c, ok);
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                .get(60, TimeUnit.SECONDS);
    }

    private CompletableFuture<Void> join(BenchConnection c, int room, String name) {
        CompletableFuture<Void> joined = new CompletableFuture<>();
        ByteBuf body = Unpooled.wrappedBuffer(("{\"room\":\"bench-resume-" + room + "\",\"name\":\"" + name + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        c.eventLoop().execute(() -> {
            c.request(DemoRoutes.ROOM_JOIN, body, System.nanoTime(), (conn, b, error, s) -> {
                if (error) {
                    joined.completeExceptionally(new IllegalStateException("join refused"));
                } else {
                    joined.complete(null);
                }
            });
            c.flush();
        });
        return joined;
    }

    private void say(BenchConnection sender, int round, int room) {
        sender.eventLoop().execute(() -> {
            for (int i = 0; i < options.churnMessages(); i++) {
                sender.notify(DemoRoutes.ROOM_SAY, Unpooled.wrappedBuffer(("{\"text\":\"r" + room + "-" + round + "-"
                        + i + "\"}").getBytes(StandardCharsets.UTF_8)));
            }
            sender.flush();
        });
    }
}
