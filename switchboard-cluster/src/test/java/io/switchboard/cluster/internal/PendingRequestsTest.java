package io.switchboard.cluster.internal;

import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pending table is bounded, expires by deadline order whatever the order the requests were added in, and loses no
 * deadline to its lower bound of them: not to a later request with an earlier deadline, a ticker that wraps, or adds
 * racing a walk.
 */
class PendingRequestsTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void refusesPastItsCapacityAndTakesAgainOnceOneEnded() {
        PendingRequests<String> pending = new PendingRequests<>(ticker, 2);
        long a = pending.add(1, SECOND, "a");
        long b = pending.add(1, SECOND, "b");

        assertThat(pending.add(1, SECOND, "c")).as("full: refused, nothing recorded").isZero();
        assertThat(pending.size()).isEqualTo(2);

        assertThat(pending.complete(a).value()).isEqualTo("a");
        assertThat(pending.complete(a)).as("ends once").isNull();
        long c = pending.add(1, SECOND, "c");
        assertThat(c).isNotZero().isNotIn(a, b);
        assertThat(pending.size()).isEqualTo(2);
        assertThatThrownBy(() -> new PendingRequests<>(ticker, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PendingRequests<>(ticker, PendingRequests.MAX_CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A request that waits while many later ones come and go keeps its slot: the ids that would land on it are skipped,
     * and an answer under an id of the same slot that is not its own does not take it.
     */
    @Test
    void aLongWaitKeepsItsSlotWhileLaterIdsPassItAndAForeignIdCannotTakeIt() {
        PendingRequests<String> pending = new PendingRequests<>(ticker, 4); // 8 slots
        long slow = pending.add(1, 10 * SECOND, "slow");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long id = pending.add(1, SECOND, "quick " + i);
            ids.add(id);
            assertThat(pending.complete(id, 1).value()).isEqualTo("quick " + i);
        }

        assertThat(ids).doesNotHaveDuplicates().doesNotContain(slow)
                .as("no id shares the slow one's slot while it waits").noneMatch(id -> (id - slow) % 8 == 0);
        assertThat(pending.complete(slow + 8)).as("an id of the same slot, never handed out").isNull();
        assertThat(pending.complete(slow, 2)).as("another node's answer").isNull();
        assertThat(pending.complete(slow, 1).value()).isEqualTo("slow");
        assertThat(pending.size()).isZero();
    }

    /** A full table whose entries sit in a run of slots takes new requests once one ends: their ids skip the run. */
    @Test
    void aFullRunOfWaitingSlotsIsSkipped() {
        PendingRequests<String> pending = new PendingRequests<>(ticker, 4); // 8 slots
        List<Long> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(pending.add(1, SECOND, "waiting " + i));
        }
        assertThat(pending.add(1, SECOND, "refused")).isZero();
        pending.complete(waiting.get(3));
        List<Long> passing = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // ids around the 8 slots more than once: waiting 0..2's run is passed by
            long id = pending.add(2, SECOND, "passing " + i);
            passing.add(id);
            assertThat(pending.complete(id).value()).isEqualTo("passing " + i);
        }
        assertThat(passing).allMatch(id -> waiting.subList(0, 3).stream().noneMatch(w -> (id - w) % 8 == 0));
        assertThat(passing.get(passing.size() - 1) - passing.get(0)).as("ids skipped: the run of three, passed twice")
                .isEqualTo(11 + 2 * 3);
        assertThat(pending.failNode(1)).extracting(PendingRequests.Entry::value)
                .containsExactlyInAnyOrder("waiting 0", "waiting 1", "waiting 2");
    }

    @Test
    void expiresInDeadlineOrderAndOnlyWhatIsDue() {
        PendingRequests<String> pending = new PendingRequests<>(ticker);
        pending.add(1, 3 * SECOND, "late");
        pending.add(1, SECOND, "early");
        long answered = pending.add(2, SECOND / 2, "answered");
        pending.add(2, 2 * SECOND, "middle");
        pending.complete(answered);

        ticker.advance(Duration.ofMillis(999));
        assertThat(pending.expire()).isEmpty();
        ticker.advance(Duration.ofMillis(1001));
        assertThat(pending.expire()).extracting(PendingRequests.Entry::value).containsExactly("early", "middle");
        assertThat(pending.expire()).isEmpty();
        assertThat(pending.size()).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(5));
        assertThat(pending.failNode(2)).isEmpty();
        assertThat(pending.failNode(1)).extracting(PendingRequests.Entry::value).containsExactly("late");
        assertThat(pending.expire()).as("a failed entry does not expire again").isEmpty();
        assertThat(pending.size()).isZero();
    }

    @Test
    void anEarlierDeadlineAddedAfterAWalkIsStillKept() {
        PendingRequests<String> pending = new PendingRequests<>(ticker);
        pending.add(1, 5 * SECOND, "slow");
        long quick = pending.add(1, SECOND / 2, "quick");
        pending.complete(quick);

        ticker.advance(Duration.ofSeconds(1));
        assertThat(pending.expire()).as("the walk finds the answered one gone, keeps 'slow'").isEmpty();
        pending.add(1, SECOND, "short");
        ticker.advance(Duration.ofMillis(1500));
        assertThat(pending.expire()).extracting(PendingRequests.Entry::value).containsExactly("short");
        ticker.advance(Duration.ofMillis(2499));
        assertThat(pending.expire()).isEmpty();
        ticker.advance(Duration.ofMillis(1));
        assertThat(pending.expire()).extracting(PendingRequests.Entry::value).containsExactly("slow");
        assertThat(pending.size()).isZero();
    }

    @Test
    void deadlinesAcrossTheTickersWrapExpireInOrder() {
        AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - SECOND);
        PendingRequests<String> pending = new PendingRequests<>(nanos::get);
        pending.add(1, 3 * SECOND, "after the wrap");
        pending.add(1, SECOND / 2, "before the wrap");
        pending.add(1, 2 * SECOND, "just after the wrap");

        nanos.addAndGet(SECOND / 4);
        assertThat(pending.expire()).isEmpty();
        nanos.addAndGet(2 * SECOND); // past Long.MAX_VALUE: negative readings now
        assertThat(pending.expire()).extracting(PendingRequests.Entry::value)
                .containsExactly("before the wrap", "just after the wrap");
        nanos.addAndGet(SECOND);
        assertThat(pending.expire()).extracting(PendingRequests.Entry::value).containsExactly("after the wrap");
    }

    /** Walks run over and over (a due entry each time) while two threads add: every added entry expires in the end. */
    @Test
    void entriesAddedWhileTheTableIsWalkedAllExpire() throws InterruptedException {
        PendingRequests<String> pending = new PendingRequests<>(ticker);
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread adder = new Thread(() -> {
                awaitQuietly(start);
                IntStream.range(0, perThread).filter(i -> pending.add(1, SECOND, "added") == 0)
                        .forEach(i -> refused.incrementAndGet());
            });
            adder.start();
            adders.add(adder);
        }
        start.countDown();
        int walks = 0;
        while (adders.stream().anyMatch(Thread::isAlive)) {
            pending.add(2, 0, "due at once");
            walks += pending.expire().isEmpty() ? 0 : 1;
        }
        for (Thread adder : adders) {
            adder.join();
        }
        pending.expire(); // the last "due at once"

        ticker.advance(Duration.ofSeconds(1));
        List<PendingRequests.Entry<String>> expired = pending.expire();
        assertThat(refused).as("adds refused").hasValue(0);
        assertThat(walks).as("walks that ran while the threads added").isPositive();
        assertThat(expired).hasSize(2 * perThread).allMatch(e -> e.nodeId() == 1);
        assertThat(pending.size()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
