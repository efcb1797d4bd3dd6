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
}
