package io.switchboard.cli;

import io.switchboard.chat.ChatConfig;
import picocli.CommandLine.Option;

/** The chat database options shared by {@code gate} and {@code service chat}; the token secret is in the environment. */
final class ChatOptions {
    static final String TOKEN_SECRET_ENV = "SWITCHBOARD_CHAT_TOKEN_SECRET";
    static final String DB_PASSWORD_ENV = "SWITCHBOARD_CHAT_DB_PASSWORD";

    @Option(names = "--chat-db", description = "Chat database JDBC URL (default: an H2 file under ./data; for several "
            + "processes use PostgreSQL (jdbc:postgresql://host/db), MariaDB or MySQL (jdbc:mariadb://host/db) or an "
            + "H2 URL with ;AUTO_SERVER=TRUE).")
    String chatDb;

    @Option(names = "--chat-db-user", description = "Chat database user; the password comes from "
            + DB_PASSWORD_ENV + ".")
    String chatDbUser;

    ChatConfig.Builder config() {
        ChatConfig.Builder chat = ChatConfig.builder();
        if (chatDb != null) {
            chat.jdbcUrl(chatDb);
        }
        if (chatDbUser != null) {
            chat.username(chatDbUser);
        }
        // From the environment only: a password on the command line shows in ps.
        String password = System.getenv(DB_PASSWORD_ENV);
        if (password != null) {
            chat.password(password);
        }
        // From the environment, not a flag, so it does not show in ps. Shared by every gate and chat node.
        String secret = System.getenv(TOKEN_SECRET_ENV);
        if (secret != null) {
            chat.tokenSecret(secret);
        } else {
            System.err.println("warning: " + TOKEN_SECRET_ENV + " is not set: chat tokens work on this process only"
                    + " and die with it");
        }
        return chat;
    }
}
