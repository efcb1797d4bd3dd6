package io.switchboard.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.api.errors.RuntimeErrors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WorkerPoolTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private WorkerPool pool;

    @AfterEach
    void close() {
        release.countDown();
        pool.close();
    }

    @Test
    void refusesWithOverloadedPastItsQueueAndTakesWorkAgainOnceItMoves() throws Exception {
        pool = new WorkerPool(1, 2, meters);
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch blocking = new CountDownLatch(1);
        pool.execute(() -> {
            blocking.countDown();
            awaitQuietly(release);
            ran.incrementAndGet();
        });
        assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
        pool.execute(ran::incrementAndGet);
        pool.execute(ran::incrementAndGet);
        assertThat(pool.waiting()).isEqualTo(2);

        assertThatThrownBy(() -> pool.execute(ran::incrementAndGet))
                .isInstanceOfSatisfying(WorkerPool.Refused.class,
                        e -> assertThat(e.asError().code()).isEqualTo(RuntimeErrors.OVERLOADED.code()));
        assertThat(meters.get("switchboard_workers_refused").counter().count()).isEqualTo(1);
        assertThat(meters.get("switchboard_workers_waiting").gauge().value()).isEqualTo(2);

        release.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> ran.get() == 3);
        assertThat(pool.waiting()).isZero();
        pool.execute(ran::incrementAndGet);
        await().atMost(5, TimeUnit.SECONDS).until(() -> ran.get() == 4);
    }

    @Test
    void aTaskThatFailsDoesNotLeakItsPlaceInTheQueue() {
        pool = new WorkerPool(2, 1, meters);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            pool.execute(() -> {
                throw new IllegalStateException("boom");
            });
            await().atMost(5, TimeUnit.SECONDS).until(() -> pool.waiting() == 0);
        }
        pool.execute(ran::incrementAndGet);
        await().atMost(5, TimeUnit.SECONDS).until(() -> ran.get() == 1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
