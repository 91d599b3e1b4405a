package io.breakwater.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The path of an opening handshake request as the list of its decoded segments, normalized as
 * Jakarta WebSocket 3.1.1 asks ("compare the normalized - see section 6 of RFC 3986 - incoming
 * URI"):
 * <ul>
 * <li>the query (and a fragment, should one be sent) is not part of the path;</li>
 * <li>the path is split on {@code '/'} before decoding, so an encoded {@code %2F} stays inside its
 * segment and never separates two;</li>
 * <li>each segment is percent-decoded as UTF-8 (RFC 3986 §6.2.2.1, §6.2.2.2), so {@code %61},
 * {@code %41} case and {@code a} compare alike;</li>
 * <li>dot segments {@code .} and {@code ..} (also when percent-encoded) are removed as by
 * RFC 3986 §5.2.4 (§6.2.2.3).</li>
 * </ul>
 * The path {@code "/"} is one empty segment; {@code "/a/"} is {@code ["a", ""]}.
 */
final class RequestPath {

    private RequestPath() {
    }

    /**
     * The decoded, normalized segments of {@code requestPath}, or {@code null} when it is not a
     * path that can match any endpoint: {@code null}, not starting with {@code '/'}, or holding a
     * malformed percent-encoding.
     */
    static String[] segments(String requestPath) {
        if (requestPath == null || requestPath.isEmpty() || requestPath.charAt(0) != '/') {
            return null;
        }
        int end = requestPath.length();
        for (int i = 0; i < end; i++) {
            char c = requestPath.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
            }
        }
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (true) {
            int slash = requestPath.indexOf('/', start);
            boolean last = slash < 0 || slash >= end;
            String decoded = PercentDecoding.decode(requestPath.substring(start, last ? end : slash));
            if (decoded == null) {
                return null;
            }
            // RFC 3986 §5.2.4: "." is dropped and ".." drops the segment before it; either one in
            // last place leaves the path ending in "/", which is an empty last segment here.
            if (decoded.equals(".") || decoded.equals("..")) {
                if (decoded.equals("..") && !segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                if (last) {
                    segments.add("");
                }
            } else {
                segments.add(decoded);
            }
            if (last) {
                return segments.toArray(new String[0]);
            }
            start = slash + 1;
        }
    }
}
