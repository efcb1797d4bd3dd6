package io.switchboard.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends POSIX signals with {@code kill}, for fault tests: {@code STOP} freezes a process, {@code CONT} thaws it. */
public final class Signals {
    private Signals() {
    }

    /** {@code kill -<name> <pid>}; fails when kill does not succeed within 10 s. */
    public static void send(String name, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + name + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending " + name + " to " + pid, e);
        }
    }

    /** kill -9 of the process, then waits (at most 10 s) until it is gone. */
    public static void kill(Process process) {
        send("KILL", process.pid());
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("process " + process.pid() + " outlived kill -9");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + process.pid(), e);
        }
    }
}
