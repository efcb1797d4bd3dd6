-- chat.group.list reads groups in name order, a page at a time: this index gives them in that order, so a page costs
-- its own rows, not a sort of every conversation.
CREATE INDEX chat_conversation_kind_name ON chat_conversation (kind, name, id);
