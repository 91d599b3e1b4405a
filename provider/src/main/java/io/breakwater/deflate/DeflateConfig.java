package io.breakwater.deflate;

import java.util.zip.Deflater;

/**
 * Our preferences for permessage-deflate (RFC 7692 §7), the same for either role.
 *
 * @param compressionLevel the {@link Deflater} level: {@link Deflater#DEFAULT_COMPRESSION} or 0..9
 * @param serverNoContextTakeover whether we want the server to compress every message on its own
 *        (RFC 7692 §7.1.1.1): a client offers it, a server adds it to its response
 * @param clientNoContextTakeover whether we want the client to compress every message on its own
 *        (RFC 7692 §7.1.1.2): a client offers it (and resets its own compressor anyway), a server adds
 *        it to its response
 * @param compressionThreshold messages sent whole whose payload is shorter than this many bytes go
 *        uncompressed; 0 compresses every message. A message sent in parts is always compressed, since
 *        its size is not known when its first frame is written.
 */
public record DeflateConfig(
        int compressionLevel,
        boolean serverNoContextTakeover,
        boolean clientNoContextTakeover,
        int compressionThreshold) {

    /** zlib's default level, context takeover both ways, every message compressed. */
    public static final DeflateConfig DEFAULTS = new DeflateConfig(Deflater.DEFAULT_COMPRESSION, false, false, 0);

    public DeflateConfig {
        if (compressionLevel != Deflater.DEFAULT_COMPRESSION
                && (compressionLevel < Deflater.NO_COMPRESSION || compressionLevel > Deflater.BEST_COMPRESSION)) {
            throw new IllegalArgumentException("compression level must be -1 (default) or 0..9: " + compressionLevel);
        }
        if (compressionThreshold < 0) {
            throw new IllegalArgumentException("compression threshold must not be negative: " + compressionThreshold);
        }
    }

    /** This config with another compression level. */
    public DeflateConfig withCompressionLevel(int level) {
        return new DeflateConfig(level, serverNoContextTakeover, clientNoContextTakeover, compressionThreshold);
    }

    /** This config with another server_no_context_takeover preference. */
    public DeflateConfig withServerNoContextTakeover(boolean value) {
        return new DeflateConfig(compressionLevel, value, clientNoContextTakeover, compressionThreshold);
    }

    /** This config with another client_no_context_takeover preference. */
    public DeflateConfig withClientNoContextTakeover(boolean value) {
        return new DeflateConfig(compressionLevel, serverNoContextTakeover, value, compressionThreshold);
    }

    /** This config with another compression threshold. */
    public DeflateConfig withCompressionThreshold(int bytes) {
        return new DeflateConfig(compressionLevel, serverNoContextTakeover, clientNoContextTakeover, bytes);
    }
}
