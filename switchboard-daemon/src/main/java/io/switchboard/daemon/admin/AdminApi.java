package io.switchboard.daemon.admin;

import io.switchboard.daemon.machine.MachineControl;
import io.switchboard.globaldb.GlobalDb;

import java.util.concurrent.Executor;

/** What the admin port's connections share. */
record AdminApi(CommandExecutor executor, GlobalDb globalDb, MachineControl machine, LoginSessions sessions,
                LoginThrottle throttle, RequestGuard guard, WatchStreams watches, ConsoleAssets assets,
                Executor workers) {
}
