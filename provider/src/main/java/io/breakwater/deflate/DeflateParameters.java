package io.breakwater.deflate;

import io.breakwater.protocol.MessageExtension;
import io.breakwater.protocol.Role;

/**
 * The permessage-deflate parameters both ends agreed on in the opening handshake (RFC 7692 §7.1).
 * A window size the response left open is recorded as 15, the largest, which is what RFC 7692
 * §7.1.2 means by its absence.
 *
 * @param serverNoContextTakeover the server resets its compressor after every message (§7.1.1.1)
 * @param clientNoContextTakeover the client resets its compressor after every message (§7.1.1.2)
 * @param serverMaxWindowBits the largest LZ77 window, as a base-2 logarithm (8..15), the server compresses with (§7.1.2.1)
 * @param clientMaxWindowBits the largest LZ77 window, as a base-2 logarithm (8..15), the client compresses with (§7.1.2.2)
 */
public record DeflateParameters(
        boolean serverNoContextTakeover,
        boolean clientNoContextTakeover,
        int serverMaxWindowBits,
        int clientMaxWindowBits) {

    /** The largest window DEFLATE allows, 32 KiB (RFC 1951 §2), and the only one {@link java.util.zip.Deflater} searches. */
    public static final int MAX_WINDOW_BITS = 15;
    /** The smallest window RFC 7692 §7.1.2 allows. */
    public static final int MIN_WINDOW_BITS = 8;

    public DeflateParameters {
        checkWindowBits("server_max_window_bits", serverMaxWindowBits);
        checkWindowBits("client_max_window_bits", clientMaxWindowBits);
    }

    private static void checkWindowBits(String name, int bits) {
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException(name + " must be 8..15: " + bits);
        }
    }

    /**
     * Makes the extension one end of the connection uses: a {@link Role#SERVER} compresses as the
     * server_* parameters say and inflates what the client sends; a {@link Role#CLIENT} the reverse.
     * The extension allocates no zlib memory until it first compresses or inflates.
     *
     * <p>{@link java.util.zip.Deflater} always searches a 15-bit window; when our side must use a
     * smaller one it compresses without back-references (Huffman codes only), which any window reads.
     */
    public MessageExtension newExtension(Role role, DeflateConfig config) {
        boolean server = role == Role.SERVER;
        int ourWindowBits = server ? serverMaxWindowBits : clientMaxWindowBits;
        // Inflating needs no window limit of our own: a 15-bit inflater reads streams made with any smaller window.
        return new PerMessageDeflate(
                config.compressionLevel(),
                server ? serverNoContextTakeover : clientNoContextTakeover,
                server ? clientNoContextTakeover : serverNoContextTakeover,
                config.compressionThreshold(),
                ourWindowBits < MAX_WINDOW_BITS);
    }
}
