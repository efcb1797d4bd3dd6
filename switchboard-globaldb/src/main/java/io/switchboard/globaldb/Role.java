package io.switchboard.globaldb;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** An operator's role (DESIGN §9): each one may do what the one before it may, and more. */
public enum Role {
    VIEWER(EnumSet.of(Permission.LIST, Permission.WATCH)),
    OPERATOR(EnumSet.of(Permission.LIST, Permission.WATCH, Permission.START, Permission.STOP, Permission.KILL)),
    ADMIN(EnumSet.allOf(Permission.class));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    /** The role's name as written in globaldb and on the command line. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code viewer}, {@code operator} or {@code admin}. */
    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "' (viewer, operator or admin)");
    }
}
