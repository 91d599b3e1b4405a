package io.breakwater.api;

import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the engine's message pieces into calls of the session's message handlers: whole messages are
 * collected ({@link MessageChunks}, within the session's buffer sizes, which the engine enforces) and
 * converted to the type the handler takes; parts go on as they come, text cut only at code point
 * boundaries. Calls happen on the reading thread with the engine lock held; handlers run later, on the
 * session's serial executor.
 *
 * <p>While more than the session's queue limit of received bytes waits for the application, the
 * transport stops reading, so a slow handler holds back its peer through TCP instead of filling memory.
 */
final class InboundMessages {

    private static final System.Logger LOG = System.getLogger(InboundMessages.class.getName());

    private final BreakwaterSession session;
    private final MessageHandlers handlers;
    private final Decoders decoders;
    private final AtomicLong pendingBytes = new AtomicLong();

    private Receiver text;
    private Receiver binary;

    InboundMessages(BreakwaterSession session, MessageHandlers handlers, Decoders decoders) {
        this.session = session;
        this.handlers = handlers;
        this.decoders = decoders;
    }

    void onText(ByteBuffer utf8, boolean last) {
        if (text == null) {
            text = receiverFor(MessageHandlers.Kind.TEXT);
        }
        text.accept(utf8, last);
        if (last) {
            text = null;
        }
    }

    void onBinary(ByteBuffer data, boolean last) {
        if (binary == null) {
            binary = receiverFor(MessageHandlers.Kind.BINARY);
        }
        binary.accept(data, last);
        if (last) {
            binary = null;
        }
    }

    void onPong(ByteBuffer payload) {
        MessageHandlers.Registration registration = handlers.get(MessageHandlers.Kind.PONG);
        if (registration == null) {
            return; // an unsolicited or unawaited pong needs no answer (RFC 6455 §5.5.3)
        }
        ByteBuffer copy = copy(payload);
        PongMessage pong = () -> copy.asReadOnlyBuffer();
        deliver(copy.remaining(), () -> whole(registration).onMessage(pong));
    }

    /** §2.1.3: the handler registered when a message begins takes the whole of it. */
    private Receiver receiverFor(MessageHandlers.Kind kind) {
        MessageHandlers.Registration registration = handlers.get(kind);
        if (registration == null) {
            // The specification leaves this open; the TCK (e.g. servercontainer.addendpoint getIdTest) has
            // a session without handlers go on being used, and Tomcat and Jetty do the same: the message is
            // dropped, not answered with 1003. The engine still enforces the buffer size on it.
            LOG.log(System.Logger.Level.DEBUG, () -> "session " + session.getId() + ": no handler for "
                    + kind.name().toLowerCase() + " messages, one dropped");
            return (piece, last) -> { };
        }
        if (kind == MessageHandlers.Kind.TEXT) {
            return registration.partial() ? new TextParts(registration) : new WholeText(registration);
        }
        return registration.partial() ? new BinaryParts(registration) : new WholeBinary(registration);
    }

    /**
     * Hands application work to the session's executor, counting the bytes it holds. A message whose
     * turn comes after onClose has begun is dropped: no handler hears of a message after onClose.
     */
    private void deliver(int bytes, BreakwaterSession.ApplicationCode code) {
        if (pendingBytes.addAndGet(bytes) > session.settings().maxQueuedBytes()) {
            session.setReading(false);
        }
        session.callback(() -> {
            try {
                if (!session.closeHasBegun()) {
                    code.run();
                }
            } finally {
                long left = pendingBytes.addAndGet(-bytes);
                if (left <= session.settings().maxQueuedBytes() / 2) {
                    session.setReading(true); // a hold released twice is released once
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static MessageHandler.Whole<Object> whole(MessageHandlers.Registration registration) {
        return (MessageHandler.Whole<Object>) registration.handler();
    }

    @SuppressWarnings("unchecked")
    private static MessageHandler.Partial<Object> partial(MessageHandlers.Registration registration) {
        return (MessageHandler.Partial<Object>) registration.handler();
    }

    private static ByteBuffer copy(ByteBuffer piece) {
        return ByteBuffer.allocate(piece.remaining()).put(piece.duplicate()).flip();
    }

    /** Takes the pieces of one message. */
    @FunctionalInterface
    private interface Receiver {
        void accept(ByteBuffer piece, boolean last);
    }

    private final class WholeText implements Receiver {
        private final MessageHandlers.Registration registration;
        private final Decoders.TextConversion conversion;
        private final MessageChunks chunks = new MessageChunks();

        WholeText(MessageHandlers.Registration registration) {
            this.registration = registration;
            this.conversion = decoders.forText(registration.type());
        }

        @Override
        public void accept(ByteBuffer piece, boolean last) {
            chunks.add(piece);
            if (last) {
                int length = chunks.length();
                String message = chunks.takeText();
                deliver(length, () -> whole(registration).onMessage(conversion.convert(message)));
            }
        }
    }

    private final class WholeBinary implements Receiver {
        private final MessageHandlers.Registration registration;
        private final Decoders.BinaryConversion conversion;
        private final MessageChunks chunks = new MessageChunks();

        WholeBinary(MessageHandlers.Registration registration) {
            this.registration = registration;
            this.conversion = decoders.forBinary(registration.type());
        }

        @Override
        public void accept(ByteBuffer piece, boolean last) {
            chunks.add(piece);
            if (last) {
                int length = chunks.length();
                ByteBuffer message = ByteBuffer.wrap(chunks.takeBytes());
                deliver(length, () -> whole(registration).onMessage(conversion.convert(message)));
            }
        }
    }

    /** Text parts, decoded as they come; a code point split between pieces waits for its last byte. */
    private final class TextParts implements Receiver {
        private final MessageHandlers.Registration registration;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        private final ByteBuffer carry = ByteBuffer.allocate(4);

        TextParts(MessageHandlers.Registration registration) {
            this.registration = registration;
        }

        @Override
        public void accept(ByteBuffer piece, boolean last) {
            ByteBuffer input = piece;
            if (carry.position() > 0) {
                input = ByteBuffer.allocate(carry.position() + piece.remaining());
                input.put(carry.flip()).put(piece.duplicate()).flip();
                carry.clear();
            }
            CharBuffer chars = CharBuffer.allocate(input.remaining() + 1);
            CoderResult result = utf8.decode(input, chars, last);
            if (result.isError()) {
                throw new IllegalStateException("the engine passed invalid UTF-8: " + result);
            }
            carry.put(input); // at most the first bytes of one code point
            String part = chars.flip().toString();
            if (part.isEmpty() && !last) {
                return;
            }
            deliver(part.length(), () -> partial(registration).onMessage(part, last));
        }
    }

    private final class BinaryParts implements Receiver {
        private final MessageHandlers.Registration registration;
        private final boolean asArray;

        BinaryParts(MessageHandlers.Registration registration) {
            this.registration = registration;
            this.asArray = registration.type() == byte[].class;
        }

        @Override
        public void accept(ByteBuffer piece, boolean last) {
            if (!piece.hasRemaining() && !last) {
                return;
            }
            ByteBuffer part = copy(piece);
            Object message = asArray ? part.array() : part;
            deliver(part.remaining(), () -> partial(registration).onMessage(message, last));
        }
    }
}
