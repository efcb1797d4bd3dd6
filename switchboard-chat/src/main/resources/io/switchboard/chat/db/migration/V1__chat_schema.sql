-- The chat schema. Portable SQL: the same file runs on H2 (embedded default) and PostgreSQL.
-- Ids are snowflakes issued by the application; times are epoch milliseconds from its injected clock.

CREATE TABLE chat_user (
    id            BIGINT       NOT NULL PRIMARY KEY,
    name          VARCHAR(20)  NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    -- Tokens carry the epoch they were signed in; logout bumps it, which revokes every older token.
    token_epoch   INTEGER      NOT NULL DEFAULT 0,
    created_at    BIGINT       NOT NULL,
    CONSTRAINT chat_user_name UNIQUE (name)
);

-- 'direct' conversations have the id d:<smaller user id>:<larger user id>; 'group' ones g:<snowflake>.
CREATE TABLE chat_conversation (
    id         VARCHAR(64) NOT NULL PRIMARY KEY,
    kind       VARCHAR(8)  NOT NULL,
    name       VARCHAR(40),
    -- The sequence of the newest message; a send takes the next one under this row's lock.
    last_seq   BIGINT      NOT NULL DEFAULT 0,
    created_by BIGINT      NOT NULL REFERENCES chat_user (id),
    created_at BIGINT      NOT NULL
);

CREATE TABLE chat_member (
    conversation_id VARCHAR(64) NOT NULL REFERENCES chat_conversation (id),
    user_id         BIGINT      NOT NULL REFERENCES chat_user (id),
    -- A member sees the messages after joined_seq; ack_seq is the last one it acknowledged.
    joined_seq      BIGINT      NOT NULL,
    ack_seq         BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX chat_member_user ON chat_member (user_id);

CREATE TABLE chat_message (
    id              BIGINT        NOT NULL PRIMARY KEY,
    conversation_id VARCHAR(64)   NOT NULL REFERENCES chat_conversation (id),
    seq             BIGINT        NOT NULL,
    sender_id       BIGINT        NOT NULL REFERENCES chat_user (id),
    -- The sender's own id for the message: a resend after a lost acknowledgement finds the stored one.
    client_id       VARCHAR(64),
    body            VARCHAR(8000) NOT NULL,
    created_at      BIGINT        NOT NULL,
    CONSTRAINT chat_message_seq UNIQUE (conversation_id, seq),
    CONSTRAINT chat_message_client UNIQUE (sender_id, client_id)
);
