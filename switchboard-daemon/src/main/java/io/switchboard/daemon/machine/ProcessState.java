package io.switchboard.daemon.machine;

/**
 * A supervised process's state, as supervisord names them: a process that exits is restarted after a growing
 * delay ({@link #BACKOFF}); one that keeps failing within its first seconds is given up ({@link #FATAL}) until an
 * operator starts it again.
 */
public enum ProcessState {
    STOPPED, STARTING, RUNNING, BACKOFF, STOPPING, EXITED, FATAL
}
