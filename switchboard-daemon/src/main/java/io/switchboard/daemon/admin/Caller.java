package io.switchboard.daemon.admin;

import io.switchboard.globaldb.Role;

import java.util.Objects;

/** Who runs a command: the logged-in operator's name and role. */
public record Caller(String user, Role role) {

    public Caller {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
    }
}
