package io.switchboard.chat;

import io.switchboard.chat.internal.PasswordHasher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real hasher that counts its calls and, once told to, holds verifications until released. */
final class HeldHasher extends PasswordHasher {
    private static final long MAX_HOLD_SECONDS = 30;

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    HeldHasher(int iterations) {
        super(iterations);
    }

    @Override
    public String hash(String password) {
        calls.incrementAndGet();
        return super.hash(password);
    }

    /** Also runs for unknown names, through {@link #verifyDecoy}. */
    @Override
    public boolean verify(String password, String stored) {
        calls.incrementAndGet();
        CountDownLatch waitFor = gate;
        held.incrementAndGet();
        try {
            if (!waitFor.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the hasher");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            held.decrementAndGet();
        }
        return super.verify(password, stored);
    }

    /** Hashes and verifications so far. */
    int calls() {
        return calls.get();
    }

    /** Verifications waiting for {@link #release()}. */
    int held() {
        return held.get();
    }

    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }
}
