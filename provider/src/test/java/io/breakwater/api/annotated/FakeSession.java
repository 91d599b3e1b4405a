package io.breakwater.api.annotated;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Session that implements only what {@link AnnotatedEndpoint} calls: the explicit-class handler registrations, the
 * buffer sizes, the path parameters and a recording {@code getBasicRemote()}. Everything else throws.
 */
final class FakeSession implements Session {

    /** One {@code addMessageHandler(Class, ...)} call. */
    record Registration(Class<?> type, MessageHandler handler) {
        boolean partial() {
            return handler instanceof MessageHandler.Partial<?>;
        }
    }

    /** One message sent on the basic remote. */
    record Sent(String method, Object payload) {
    }

    final List<Registration> registrations = new ArrayList<>();
    final Map<String, String> pathParameters = new HashMap<>();
    final List<Sent> sent = new ArrayList<>();
    int maxTextMessageBufferSize = 8192;
    int maxBinaryMessageBufferSize = 8192;
    /** When set, every send throws it. */
    IOException sendFailure;

    Registration registration(Class<?> type) {
        return registrations.stream().filter(r -> r.type() == type).findFirst()
                .orElseThrow(() -> new AssertionError("no handler registered for " + type));
    }

    /** Delivers a whole message to the handler registered for {@code type}. */
    @SuppressWarnings("unchecked")
    <T> void deliver(Class<T> type, T message) {
        ((MessageHandler.Whole<T>) registration(type).handler()).onMessage(message);
    }

    /** Delivers one part to the partial handler registered for {@code type}. */
    @SuppressWarnings("unchecked")
    <T> void deliverPart(Class<T> type, T part, boolean last) {
        ((MessageHandler.Partial<T>) registration(type).handler()).onMessage(part, last);
    }

    @Override
    public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Whole<T> handler) {
        registrations.add(new Registration(clazz, handler));
    }

    @Override
    public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Partial<T> handler) {
        registrations.add(new Registration(clazz, handler));
    }

    @Override
    public void setMaxBinaryMessageBufferSize(int length) {
        maxBinaryMessageBufferSize = length;
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        return maxBinaryMessageBufferSize;
    }

    @Override
    public void setMaxTextMessageBufferSize(int length) {
        maxTextMessageBufferSize = length;
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        return maxTextMessageBufferSize;
    }

    @Override
    public Map<String, String> getPathParameters() {
        return pathParameters;
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        return new Remote();
    }

    @Override
    public String getId() {
        return "fake";
    }

    private final class Remote implements RemoteEndpoint.Basic {

        private void record(String method, Object payload) throws IOException {
            if (sendFailure != null) {
                throw sendFailure;
            }
            sent.add(new Sent(method, payload));
        }

        @Override
        public void sendText(String text) throws IOException {
            record("sendText", text);
        }

        @Override
        public void sendBinary(ByteBuffer data) throws IOException {
            record("sendBinary", data);
        }

        @Override
        public void sendObject(Object data) throws IOException, EncodeException {
            record("sendObject", data);
        }

        @Override
        public void sendText(String partialMessage, boolean isLast) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendBinary(ByteBuffer partialByte, boolean isLast) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OutputStream getSendStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Writer getSendWriter() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setBatchingAllowed(boolean allowed) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean getBatchingAllowed() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flushBatch() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendPing(ByteBuffer applicationData) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendPong(ByteBuffer applicationData) {
            throw new UnsupportedOperationException();
        }
    }

    // Not used by the adapter.

    @Override
    public WebSocketContainer getContainer() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        throw new UnsupportedOperationException("the adapter must use the explicit-class registration");
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getProtocolVersion() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getNegotiatedSubprotocol() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isSecure() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long getMaxIdleTimeout() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setMaxIdleTimeout(long milliseconds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close(CloseReason closeReason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public URI getRequestURI() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getQueryString() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Principal getUserPrincipal() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<Session> getOpenSessions() {
        throw new UnsupportedOperationException();
    }
}
