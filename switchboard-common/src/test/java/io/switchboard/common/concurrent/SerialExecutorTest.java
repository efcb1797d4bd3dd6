package io.switchboard.common.concurrent;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialExecutorTest {

    /** A pool run by hand, which refuses while {@code full}. */
    private static final class ManualPool implements Executor {
        final Queue<Runnable> queued = new ArrayDeque<>();
        boolean full;

        @Override
        public void execute(Runnable task) {
            if (full) {
                throw new RejectedExecutionException("full");
            }
            queued.add(task);
        }

        void runAll() {
            Runnable next;
            while ((next = queued.poll()) != null) {
                next.run();
            }
        }
    }

    @Test
    void runsTasksInOrderOneRunAtATime() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            serial.execute(() -> ran.add(n));
        }
        assertThat(pool.queued).hasSize(1);
        pool.runAll();
        assertThat(ran).hasSize(200).isSorted();
        assertThat(serial.pending()).isZero();
    }

    @Test
    void aRefusedStartGivesTheTaskBackAndLeavesTheExecutorUsable() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();
        pool.full = true;
        assertThatThrownBy(() -> serial.execute(() -> ran.add("refused")))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(serial.pending()).isZero();
        pool.full = false;
        serial.execute(() -> ran.add("later"));
        pool.runAll();
        assertThat(ran).containsExactly("later");
    }

    @Test
    void aRefusedContinuationKeepsRunningOnTheSameThread() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            int n = i;
            serial.execute(() -> ran.add(n));
        }
        Runnable run = pool.queued.poll();
        pool.full = true;
        run.run();
        assertThat(ran).hasSize(150).isSorted();
        assertThat(serial.pending()).isZero();
    }

    @Test
    void anIdleExecutorRunsATaskOnTheCallingThreadAndABusyOneDoesNot() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();
        Thread caller = Thread.currentThread();
        assertThat(serial.tryRunHere(() -> ran.add(Thread.currentThread() == caller ? "here" : "elsewhere"))).isTrue();
        assertThat(ran).containsExactly("here");
        assertThat(pool.queued).as("no hand-off to the pool").isEmpty();
        assertThat(serial.pending()).isZero();

        serial.execute(() -> ran.add("queued"));
        assertThat(serial.tryRunHere(() -> ran.add("skipped the queue"))).as("one is waiting").isFalse();
        pool.runAll();
        assertThat(ran).containsExactly("here", "queued");
    }

    @Test
    void tasksQueuedWhileOneRunsHereRunAfterItOnThePoolInOrder() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new ArrayList<>();
        assertThat(serial.tryRunHere(() -> {
            ran.add(0);
            for (int i = 1; i <= 3; i++) {
                int n = i;
                serial.execute(() -> ran.add(n)); // from inside, as another thread would while it runs
            }
            assertThat(pool.queued).as("they wait for the task running here").isEmpty();
            assertThat(serial.tryRunHere(() -> ran.add(-1))).as("not while it runs").isFalse();
        })).isTrue();
        assertThat(ran).containsExactly(0);
        assertThat(pool.queued).as("one run started for them").hasSize(1);
        pool.runAll();
        assertThat(ran).containsExactly(0, 1, 2, 3);
        assertThat(serial.pending()).isZero();
    }

    @Test
    void tasksQueuedBehindOneRunHereStillRunWhenThePoolRefuses() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new ArrayList<>();
        serial.tryRunHere(() -> {
            serial.execute(() -> ran.add(1));
            pool.full = true;
        });
        assertThat(ran).as("run on the calling thread instead").containsExactly(1);
        assertThat(serial.pending()).isZero();
    }
}
