package io.breakwater.conformance.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request or response head as the opening handshake uses it (RFC 6455 §4, RFC 9112):
 * the start line and the header fields, names compared case-insensitively, repeated fields joined
 * with commas.
 */
public record HttpHead(String startLine, Map<String, String> fields, String raw) {
    private static final int MAX_HEAD = 16 * 1024;

    /** Reads up to and including the empty line, byte by byte, so nothing after it is consumed. */
    public static HttpHead read(InputStream in) throws IOException {
        StringBuilder raw = new StringBuilder();
        while (!(raw.length() >= 4 && raw.substring(raw.length() - 4).equals("\r\n\r\n"))) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection ended inside the HTTP head after " + raw.length() + " bytes: "
                        + raw);
            }
            raw.append((char) b);
            if (raw.length() > MAX_HEAD) {
                throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
            }
        }
        String text = raw.toString();
        String[] lines = text.split("\r\n");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            fields.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new HttpHead(lines[0], fields, text);
    }

    public String field(String name) {
        return fields.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a comma-separated field has this token (case-insensitive), as Connection: Upgrade needs. */
    public boolean hasToken(String name, String token) {
        String value = field(name);
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** The comma-separated elements of a field, in order. */
    public List<String> elements(String name) {
        List<String> out = new ArrayList<>();
        String value = field(name);
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    public byte[] bytes() {
        return raw.getBytes(StandardCharsets.ISO_8859_1);
    }
}
