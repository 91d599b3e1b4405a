package io.breakwater.api.annotated;

/**
 * The native WebSocket message type an {@code @OnMessage} method handles. An annotated endpoint may have at most one
 * {@code @OnMessage} method per kind (WebSocket 2.2 §4.7, WSC-4.7-4).
 */
public enum MessageKind {
    /** Text messages: String, Reader, primitives and boxes, or a type decoded by a text decoder. */
    TEXT,
    /** Binary messages: ByteBuffer, byte[], InputStream, or a type decoded by a binary decoder. */
    BINARY,
    /** Pong messages, received as {@link jakarta.websocket.PongMessage}. */
    PONG
}
