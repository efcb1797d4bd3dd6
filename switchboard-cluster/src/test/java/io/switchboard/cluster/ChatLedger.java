package io.switchboard.cluster;

import io.switchboard.protocol.Json;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The two sides of the chat fault tests' count, by client id (each test message's text is its client id): the
 * messages acknowledged to their senders, and those stored in the chat database.
 */
final class ChatLedger {
    private ChatLedger() {
    }

    /** The client ids of the sends of {@code sends} that were answered without an error. */
    static Set<String> acknowledged(RequestLoad sends) throws Exception {
        Set<String> acknowledged = new HashSet<>();
        for (String body : sends.acknowledged) {
            acknowledged.add(Json.MAPPER.readTree(body).get("clientId").asText());
        }
        return acknowledged;
    }

    /** Every client id in the chat's message table of the PostgreSQL database at {@code jdbcUrl}. */
    static Set<String> stored(String jdbcUrl) throws Exception {
        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT client_id FROM chat_message")) {
            while (rows.next()) {
                stored.add(rows.getString(1));
            }
        }
        return stored;
    }
}
