package io.breakwater.protocol;

import java.security.SecureRandom;

/** Supplies the masking key of each frame a client sends (RFC 6455 §5.3). */
@FunctionalInterface
public interface MaskKeySource {

    /** The next four key bytes, first byte most significant. */
    int nextKey();

    /**
     * Keys from a strong source of entropy, as RFC 6455 §10.3 asks, so that a peer cannot predict
     * them; drawn in batches to keep the cost per frame low. Each instance is for one connection.
     */
    static MaskKeySource secure() {
        return new BatchedSecureKeys();
    }

    /** Draws 64 keys at a time from one process-wide {@link SecureRandom}. */
    final class BatchedSecureKeys implements MaskKeySource {
        private static final SecureRandom RANDOM = new SecureRandom();
        private final byte[] batch = new byte[256];
        private int next = batch.length;

        private BatchedSecureKeys() {
        }

        @Override
        public int nextKey() {
            if (next == batch.length) {
                RANDOM.nextBytes(batch);
                next = 0;
            }
            int key = (batch[next] & 0xFF) << 24 | (batch[next + 1] & 0xFF) << 16
                    | (batch[next + 2] & 0xFF) << 8 | (batch[next + 3] & 0xFF);
            next += 4;
            return key;
        }
    }
}
