package io.switchboard.runtime;

/**
 * Ends the process once it has drained. Injected so tests observe the exit instead of losing their JVM.
 */
@FunctionalInterface
public interface ExitHandler {

    /** {@link System#exit} on a thread of its own, so callers on event loops or in locks are not stuck. */
    ExitHandler SYSTEM = status -> new Thread(() -> System.exit(status), "switchboard-exit").start();

    void exit(int status);
}
