-- The chat schema for MariaDB and MySQL: the tables, columns and keys of db/migration/V1__chat_schema.sql (H2 and
-- PostgreSQL), in this dialect. A change to one file is made to the other; a test compares the two schemas.
--  * InnoDB: row locks for the per-conversation sequence, and foreign keys.
--  * utf8mb4 with a binary, no-pad collation, so names, conversation ids and client ids compare exactly, as on H2
--    and PostgreSQL (the servers' defaults ignore case, and their *_bin collations ignore trailing spaces). The
--    executable comments pick each server's own: MariaDB 10.2.2+ runs /*M!...*/, MySQL 8.0.17+ runs
--    /*!80017...*/ (and MariaDB skips it).
--  * Foreign keys as table constraints: MySQL before 9.0 ignores a REFERENCES on a column.
-- Indexed VARCHARs stay far below InnoDB's 3072-byte key limit at 4 bytes a character.

CREATE TABLE chat_user (
    id            BIGINT       NOT NULL PRIMARY KEY,
    name          VARCHAR(20)  NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    token_epoch   INTEGER      NOT NULL DEFAULT 0,
    created_at    BIGINT       NOT NULL,
    CONSTRAINT chat_user_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4
  /*M!100202 COLLATE = utf8mb4_nopad_bin */ /*!80017 COLLATE = utf8mb4_0900_bin */;

CREATE TABLE chat_conversation (
    id         VARCHAR(64) NOT NULL PRIMARY KEY,
    kind       VARCHAR(8)  NOT NULL,
    name       VARCHAR(40),
    last_seq   BIGINT      NOT NULL DEFAULT 0,
    created_by BIGINT      NOT NULL,
    created_at BIGINT      NOT NULL,
    CONSTRAINT chat_conversation_creator FOREIGN KEY (created_by) REFERENCES chat_user (id)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4
  /*M!100202 COLLATE = utf8mb4_nopad_bin */ /*!80017 COLLATE = utf8mb4_0900_bin */;

CREATE TABLE chat_member (
    conversation_id VARCHAR(64) NOT NULL,
    user_id         BIGINT      NOT NULL,
    joined_seq      BIGINT      NOT NULL,
    ack_seq         BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, user_id),
    -- Declared here so the foreign key on user_id uses it rather than an index of its own.
    INDEX chat_member_user (user_id),
    CONSTRAINT chat_member_conversation FOREIGN KEY (conversation_id) REFERENCES chat_conversation (id),
    CONSTRAINT chat_member_user_fk FOREIGN KEY (user_id) REFERENCES chat_user (id)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4
  /*M!100202 COLLATE = utf8mb4_nopad_bin */ /*!80017 COLLATE = utf8mb4_0900_bin */;

-- body: 8000 characters take up to 32000 bytes, under the 65535-byte row limit; InnoDB keeps it off the row page.
CREATE TABLE chat_message (
    id              BIGINT        NOT NULL PRIMARY KEY,
    conversation_id VARCHAR(64)   NOT NULL,
    seq             BIGINT        NOT NULL,
    sender_id       BIGINT        NOT NULL,
    client_id       VARCHAR(64),
    body            VARCHAR(8000) NOT NULL,
    created_at      BIGINT        NOT NULL,
    CONSTRAINT chat_message_seq UNIQUE (conversation_id, seq),
    CONSTRAINT chat_message_client UNIQUE (sender_id, client_id),
    CONSTRAINT chat_message_conversation FOREIGN KEY (conversation_id) REFERENCES chat_conversation (id),
    CONSTRAINT chat_message_sender FOREIGN KEY (sender_id) REFERENCES chat_user (id)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4
  /*M!100202 COLLATE = utf8mb4_nopad_bin */ /*!80017 COLLATE = utf8mb4_0900_bin */;
