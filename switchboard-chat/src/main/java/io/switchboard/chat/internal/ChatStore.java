package io.switchboard.chat.internal;

import io.switchboard.chat.ChatConfig;
import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The chat tables through JDBC, in SQL that H2, PostgreSQL and MariaDB/MySQL all run. Every method is one
 * transaction. A message's sequence is taken by incrementing its conversation's {@code last_seq} in the transaction
 * that stores the message, so the row lock orders concurrent senders and no sequence is skipped or repeated. The
 * {@code last_seq} is read with {@code SELECT ... FOR UPDATE}, a locking read, which sees the newest committed
 * value under InnoDB's default REPEATABLE READ too (a plain read there would see the transaction's snapshot).
 */
public final class ChatStore {
    public static final String DIRECT = "direct";
    public static final String GROUP = "group";

    public record User(long id, String name, String passwordHash, int tokenEpoch) {
    }

    public record Conversation(String id, String kind, String name, long lastSeq) {
    }

    /** A conversation as one member sees it; {@code name} is the peer's name for direct conversations. */
    public record Membership(String conversationId, String kind, String name, long lastSeq, long joinedSeq,
                             long ackSeq) {
    }

    public record Message(long id, String conversationId, long seq, long senderId, String senderName,
                          String text, long createdAt, String clientId) {
    }

    public record Member(long userId, String name) {
    }

    public record Group(String id, String name, int members, boolean member) {
    }

    private static final String MESSAGE_COLUMNS = "m.id, m.conversation_id, m.seq, m.sender_id, u.name, m.body, "
            + "m.created_at, m.client_id FROM chat_message m JOIN chat_user u ON u.id = m.sender_id ";

    /**
     * What one user's requests can make the store hold for others, so no answer, push fan-out or member list grows
     * without bound: the members of one group, the groups one user is in (direct conversations are not capped: the
     * list of a user's conversations is, newest first).
     */
    public record Limits(int maxGroupMembers, int maxGroupsPerUser, int maxConversationsListed) {
        public static final Limits DEFAULT = new Limits(ChatConfig.DEFAULT_MAX_GROUP_MEMBERS,
                ChatConfig.DEFAULT_MAX_GROUPS_PER_USER, ChatConfig.DEFAULT_MAX_CONVERSATIONS_LISTED);

        public Limits {
            if (maxGroupMembers < 2 || maxGroupsPerUser < 1 || maxConversationsListed < 1) {
                throw new IllegalArgumentException("chat limits: a group of at least 2, at least 1 group per user "
                        + "and 1 conversation listed: " + maxGroupMembers + ", " + maxGroupsPerUser + ", "
                        + maxConversationsListed);
            }
        }
    }

    private final Jdbc jdbc;
    private final Limits limits;

    public ChatStore(DataSource dataSource) {
        this(dataSource, Limits.DEFAULT);
    }

    public ChatStore(DataSource dataSource, Limits limits) {
        this.jdbc = new Jdbc(dataSource);
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    // Accounts

    /** Stores a new user; {@link ChatErrors#NAME_TAKEN} when the name is taken. */
    public void insertUser(long id, String name, String passwordHash, long now) {
        try {
            jdbc.transaction(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO chat_user (id, name, password_hash, created_at) VALUES (?, ?, ?, ?)")) {
                    s.setLong(1, id);
                    s.setString(2, name);
                    s.setString(3, passwordHash);
                    s.setLong(4, now);
                    return s.executeUpdate();
                }
            });
        } catch (Jdbc.UniqueViolation e) {
            throw new SwitchboardException(ChatErrors.NAME_TAKEN);
        }
    }

    public User userByName(String name) {
        return jdbc.transaction(c -> queryUser(c, "name = ?", name));
    }

    public User userById(long id) {
        return jdbc.transaction(c -> queryUser(c, "id = ?", id));
    }

    /**
     * Replaces a user's password hash (a rehash at a higher cost) if it is still {@code expected}; false when it
     * changed meanwhile, which keeps the newer one.
     */
    public boolean replacePasswordHash(long userId, String expected, String replacement) {
        return jdbc.transaction(c -> update(c,
                "UPDATE chat_user SET password_hash = ? WHERE id = ? AND password_hash = ?",
                replacement, userId, expected)) == 1;
    }

    /** Revokes every token of a user. */
    public void bumpTokenEpoch(long userId) {
        jdbc.transaction(c -> update(c, "UPDATE chat_user SET token_epoch = token_epoch + 1 WHERE id = ?", userId));
    }

    private static User queryUser(Connection c, String where, Object key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, name, password_hash, token_epoch FROM chat_user WHERE " + where)) {
            s.setObject(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new User(r.getLong(1), r.getString(2), r.getString(3), r.getInt(4)) : null;
            }
        }
    }

    // Conversations and members

    /** Creates the direct conversation of two users unless it exists; both are members from its start. */
    public void ensureDirect(String id, long a, long b, long now) {
        if (conversation(id) != null) {
            return;
        }
        try {
            jdbc.transaction(c -> {
                insertConversation(c, id, DIRECT, null, a, now);
                insertMember(c, id, a, 0);
                if (b != a) {
                    insertMember(c, id, b, 0);
                }
                return null;
            });
        } catch (Jdbc.UniqueViolation e) {
            // Both users wrote first at once: the other transaction made it.
        }
    }

    /**
     * Creates a group of {@code creator} and {@code members}; {@link ChatErrors#GROUP_FULL} past the members a group
     * may have, {@link ChatErrors#TOO_MANY_GROUPS} when any of them is in the most groups already.
     */
    public void createGroup(String id, String name, long creator, List<Long> members, long now) {
        if (1 + members.stream().filter(member -> member != creator).distinct().count() > limits.maxGroupMembers()) {
            throw new SwitchboardException(ChatErrors.GROUP_FULL,
                    "a group has at most " + limits.maxGroupMembers() + " members");
        }
        jdbc.transaction(c -> {
            // Users locked in the order of their ids, all before any count.
            TreeSet<Long> users = new TreeSet<>(concat(creator, members));
            for (long user : users) {
                lockUser(c, user);
            }
            for (long user : users) {
                checkGroupsOf(c, user, user == creator ? "you are" : "a user invited is");
            }
            insertConversation(c, id, GROUP, name, creator, now);
            insertMember(c, id, creator, 0);
            for (long member : members) {
                if (member != creator) {
                    insertMember(c, id, member, 0);
                }
            }
            return null;
        });
    }

    public Conversation conversation(String id) {
        return jdbc.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, kind, name, last_seq FROM chat_conversation WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Conversation(r.getString(1), r.getString(2), r.getString(3), r.getLong(4))
                            : null;
                }
            }
        });
    }

    /** One member's view of a conversation, or {@code null} when the user is not a member. */
    public Membership membership(String conversationId, long userId) {
        List<Membership> found = memberships(userId, conversationId);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * A user's conversations, newest activity first: at most {@link Limits#maxConversationsListed()}, and one more
     * when there are more (the caller says so and drops it).
     */
    public List<Membership> memberships(long userId) {
        return memberships(userId, null);
    }

    private List<Membership> memberships(long userId, String onlyConversation) {
        return jdbc.transaction(c -> {
            String sql = "SELECT c.id, c.kind, c.name, c.last_seq, m.joined_seq, m.ack_seq, "
                    + "(SELECT MIN(u.name) FROM chat_member p JOIN chat_user u ON u.id = p.user_id "
                    + "  WHERE c.kind = 'direct' AND p.conversation_id = c.id AND p.user_id <> m.user_id) "
                    + "FROM chat_member m JOIN chat_conversation c ON c.id = m.conversation_id "
                    + "WHERE m.user_id = ?" + (onlyConversation != null ? " AND c.id = ?" : "")
                    // Newest activity first: the time of the last message (found by its sequence, through the
                    // conversation's unique index), or of the conversation's making when it has none.
                    + " ORDER BY COALESCE((SELECT lm.created_at FROM chat_message lm WHERE lm.conversation_id = c.id"
                    + " AND lm.seq = c.last_seq), c.created_at) DESC, c.id";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, userId);
                if (onlyConversation != null) {
                    s.setString(2, onlyConversation);
                }
                s.setMaxRows(limits.maxConversationsListed() + 1);
                List<Membership> result = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String kind = r.getString(2);
                        String name = DIRECT.equals(kind) ? r.getString(7) : r.getString(3);
                        result.add(new Membership(r.getString(1), kind, name, r.getLong(4), r.getLong(5),
                                r.getLong(6)));
                    }
                }
                return result;
            }
        });
    }

    /**
     * Adds a member to a group, who sees the messages from now on; {@link ChatErrors#ALREADY_A_MEMBER} if it is one,
     * {@link ChatErrors#GROUP_FULL} or {@link ChatErrors#TOO_MANY_GROUPS} past the {@link Limits}.
     */
    public void addMember(String conversationId, long userId, String who) {
        try {
            jdbc.transaction(c -> {
                // The group's row lock makes its joins one at a time, so its member count holds; the user's, its
                // groups'. Both locks before either count, so even a snapshot read (MariaDB's) sees what they guard.
                long lastSeq = lockLastSeq(c, conversationId);
                lockUser(c, userId);
                if (count(c, "SELECT COUNT(*) FROM chat_member WHERE conversation_id = ?", conversationId)
                        >= limits.maxGroupMembers()) {
                    throw new SwitchboardException(ChatErrors.GROUP_FULL,
                            "the group has " + limits.maxGroupMembers() + " members, the most it may have");
                }
                checkGroupsOf(c, userId, who);
                insertMember(c, conversationId, userId, lastSeq);
                return null;
            });
        } catch (Jdbc.UniqueViolation e) {
            throw new SwitchboardException(ChatErrors.ALREADY_A_MEMBER);
        }
    }

    /** Removes a member; false when it was none. */
    public boolean removeMember(String conversationId, long userId) {
        return jdbc.transaction(c -> update(c,
                "DELETE FROM chat_member WHERE conversation_id = ? AND user_id = ?", conversationId, userId)) == 1;
    }

    public List<Member> members(String conversationId) {
        return jdbc.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT u.id, u.name FROM chat_member m "
                    + "JOIN chat_user u ON u.id = m.user_id WHERE m.conversation_id = ? ORDER BY u.name")) {
                s.setString(1, conversationId);
                List<Member> result = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        result.add(new Member(r.getLong(1), r.getString(2)));
                    }
                }
                return result;
            }
        });
    }

    /**
     * The first {@code limit} groups by name, each with its member count and whether {@code userId} is a member. The
     * limit is the query's own, so only those groups are counted (read in name order from the kind-and-name index),
     * however many the database holds.
     */
    public List<Group> groups(long userId, int limit) {
        return jdbc.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT g.id, g.name, "
                    + "(SELECT COUNT(*) FROM chat_member m WHERE m.conversation_id = g.id), "
                    + "(SELECT COUNT(*) FROM chat_member m WHERE m.conversation_id = g.id AND m.user_id = ?) "
                    + "FROM (SELECT c.id, c.name FROM chat_conversation c WHERE c.kind = ? "
                    + "ORDER BY c.name, c.id LIMIT ?) g ORDER BY g.name, g.id")) {
                s.setLong(1, userId);
                s.setString(2, GROUP);
                s.setInt(3, limit);
                List<Group> result = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        result.add(new Group(r.getString(1), r.getString(2), r.getInt(3), r.getInt(4) > 0));
                    }
                }
                return result;
            }
        });
    }

    // Messages

    /**
     * Stores a message with the conversation's next sequence, or returns the one already stored under the
     * sender's {@code clientId} (a resend after a lost acknowledgement); {@link #isResend} tells them apart.
     */
    public Message append(long id, String conversationId, long senderId, String senderName, String clientId,
                          String text, long now) {
        if (clientId != null) {
            Message earlier = byClientId(senderId, clientId);
            if (earlier != null) {
                return earlier;
            }
        }
        try {
            return jdbc.transaction(c -> {
                long seq = lockLastSeq(c, conversationId) + 1;
                update(c, "UPDATE chat_conversation SET last_seq = ? WHERE id = ?", seq, conversationId);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO chat_message "
                        + "(id, conversation_id, seq, sender_id, client_id, body, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    s.setLong(1, id);
                    s.setString(2, conversationId);
                    s.setLong(3, seq);
                    s.setLong(4, senderId);
                    s.setString(5, clientId);
                    s.setString(6, text);
                    s.setLong(7, now);
                    s.executeUpdate();
                }
                // The sender has read what it wrote.
                update(c, "UPDATE chat_member SET ack_seq = ? WHERE conversation_id = ? AND user_id = ?",
                        seq, conversationId, senderId);
                return new Message(id, conversationId, seq, senderId, senderName, text, now, clientId);
            });
        } catch (Jdbc.UniqueViolation e) {
            // The same clientId raced in from another connection of the sender: that one won.
            Message earlier = byClientId(senderId, clientId);
            if (earlier == null) {
                throw e;
            }
            return earlier;
        }
    }

    /** Whether {@code stored} is an earlier message returned for a resend rather than {@code newId}. */
    public static boolean isResend(Message stored, long newId) {
        return stored.id() != newId;
    }

    private Message byClientId(long senderId, String clientId) {
        return jdbc.transaction(c -> {
            List<Message> found = queryMessages(c, "WHERE m.sender_id = ? AND m.client_id = ?", 1,
                    senderId, clientId);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /** Up to {@code limit} messages with sequences above {@code afterSeq}, oldest first. */
    public List<Message> after(String conversationId, long afterSeq, int limit) {
        return jdbc.transaction(c -> queryMessages(c, "WHERE m.conversation_id = ? AND m.seq > ? ORDER BY m.seq",
                limit, conversationId, afterSeq));
    }

    /** The newest {@code limit} messages with sequences in ({@code floorSeq}, {@code beforeSeq}), oldest first. */
    public List<Message> before(String conversationId, long beforeSeq, long floorSeq, int limit) {
        List<Message> newestFirst = jdbc.transaction(c -> queryMessages(c,
                "WHERE m.conversation_id = ? AND m.seq < ? AND m.seq > ? ORDER BY m.seq DESC",
                limit, conversationId, beforeSeq, floorSeq));
        List<Message> result = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(result);
        return result;
    }

    /** Moves a member's acknowledged sequence forward (never back); returns where it now is. */
    public long ack(String conversationId, long userId, long seq) {
        return jdbc.transaction(c -> {
            update(c, "UPDATE chat_member SET ack_seq = ? WHERE conversation_id = ? AND user_id = ? AND ack_seq < ?",
                    seq, conversationId, userId, seq);
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT ack_seq FROM chat_member WHERE conversation_id = ? AND user_id = ?")) {
                s.setString(1, conversationId);
                s.setLong(2, userId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getLong(1) : 0L;
                }
            }
        });
    }

    private static List<Message> queryMessages(Connection c, String where, int limit, Object... args)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + MESSAGE_COLUMNS + where)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.setMaxRows(limit);
            List<Message> result = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    result.add(new Message(r.getLong(1), r.getString(2), r.getLong(3), r.getLong(4), r.getString(5),
                            r.getString(6), r.getLong(7), r.getString(8)));
                }
            }
            return result;
        }
    }

    private static List<Long> concat(long first, List<Long> rest) {
        List<Long> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /**
     * Locks the user's row for the rest of the transaction: transactions that add one user to groups count its groups
     * one after the other. Several users are locked in the order of their ids.
     */
    private static void lockUser(Connection c, long userId) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT id FROM chat_user WHERE id = ? FOR UPDATE")) {
            lock.setLong(1, userId);
            lock.executeQuery().close();
        }
    }

    /**
     * {@link ChatErrors#TOO_MANY_GROUPS} when {@code userId} ({@code who}, for the message) is in the most groups; its
     * row is locked ({@link #lockUser}).
     */
    private void checkGroupsOf(Connection c, long userId, String who) throws SQLException {
        if (count(c, "SELECT COUNT(*) FROM chat_member m JOIN chat_conversation c ON c.id = m.conversation_id "
                + "WHERE m.user_id = ? AND c.kind = '" + GROUP + "'", userId) >= limits.maxGroupsPerUser()) {
            throw new SwitchboardException(ChatErrors.TOO_MANY_GROUPS,
                    who + " in " + limits.maxGroupsPerUser() + " groups, the most one may be in");
        }
    }

    private static long count(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Locks the conversation's row for the rest of the transaction and reads its last sequence. */
    private static long lockLastSeq(Connection c, String conversationId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT last_seq FROM chat_conversation WHERE id = ? FOR UPDATE")) {
            s.setString(1, conversationId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SwitchboardException(ChatErrors.NO_SUCH_CONVERSATION);
                }
                return r.getLong(1);
            }
        }
    }

    private static void insertConversation(Connection c, String id, String kind, String name, long creator,
                                           long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO chat_conversation "
                + "(id, kind, name, last_seq, created_by, created_at) VALUES (?, ?, ?, 0, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, kind);
            s.setString(3, name);
            s.setLong(4, creator);
            s.setLong(5, now);
            s.executeUpdate();
        }
    }

    private static void insertMember(Connection c, String conversationId, long userId, long seq)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO chat_member "
                + "(conversation_id, user_id, joined_seq, ack_seq) VALUES (?, ?, ?, ?)")) {
            s.setString(1, conversationId);
            s.setLong(2, userId);
            s.setLong(3, seq);
            s.setLong(4, seq);
            s.executeUpdate();
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }
}
