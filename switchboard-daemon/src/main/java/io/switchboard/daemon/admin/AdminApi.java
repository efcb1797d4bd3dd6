package io.switchboard.daemon.admin;

import io.switchboard.admin.HttpConnectionCaps;
import io.switchboard.daemon.machine.MachineControl;
import io.switchboard.globaldb.GlobalDb;

import java.util.concurrent.Executor;

/**
 * What the admin port's connections share; {@code caps} is told which connections made an authenticated request, so
 * that strangers filling the port close one another's connections, not the operators'.
 */
record AdminApi(CommandExecutor executor, GlobalDb globalDb, MachineControl machine, LoginSessions sessions,
                LoginThrottle throttle, RequestGuard guard, WatchStreams watches, ConsoleAssets assets,
                Executor workers, HttpConnectionCaps caps) {
}
