/**
 * How message bodies become objects and back: JSON (Jackson) by default, standard protobuf as an option.
 * The server announces its choice in the handshake's {@code sys.serializer}.
 */
package io.switchboard.serialization;
