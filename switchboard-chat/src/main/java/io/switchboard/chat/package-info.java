/**
 * The chat application: accounts with salted password hashes and signed tokens, single login, 1:1 and group
 * conversations, stored messages with per-conversation sequences, offline sync and history, and a web page.
 * {@link io.switchboard.chat.ChatApp} puts it on a server; {@link io.switchboard.chat.ChatConfig} sets it up;
 * {@link io.switchboard.chat.ChatRoutes} and {@link io.switchboard.chat.ChatErrors} are its wire contract.
 */
package io.switchboard.chat;
