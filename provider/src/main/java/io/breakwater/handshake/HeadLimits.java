package io.breakwater.handshake;

/**
 * Bounds on an HTTP/1.1 message head read by {@link HttpRequestHead.Parser} or {@link HttpResponseHead.Parser}.
 *
 * @param maxHeadBytes   the most bytes of the whole head: start line, field lines, and every CRLF
 *                       including the final empty line
 * @param maxHeaderCount the most header field lines
 */
public record HeadLimits(int maxHeadBytes, int maxHeaderCount) {

    /** 16 KiB and 100 field lines. */
    public static final HeadLimits DEFAULT = new HeadLimits(16 * 1024, 100);

    public HeadLimits {
        if (maxHeadBytes < 1) {
            throw new IllegalArgumentException("maxHeadBytes must be positive: " + maxHeadBytes);
        }
        if (maxHeaderCount < 0) {
            throw new IllegalArgumentException("maxHeaderCount must not be negative: " + maxHeaderCount);
        }
    }
}
