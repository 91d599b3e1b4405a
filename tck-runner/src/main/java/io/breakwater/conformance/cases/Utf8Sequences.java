package io.breakwater.conformance.cases;

import static io.breakwater.conformance.cases.Payloads.bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * UTF-8 test sequences by RFC 3629 §3-4 and Unicode's definition of well-formed UTF-8, grouped as
 * in Autobahn's cases 6.5-6.23 (after Markus Kuhn's stress test). Each is labelled valid or not here,
 * by hand; a unit test checks the labels against the JDK's decoder.
 */
final class Utf8Sequences {
    record Sequence(String id, String description, byte[] bytes, boolean valid) {
    }

    private Utf8Sequences() {
    }

    static List<Sequence> all() {
        List<Sequence> out = new ArrayList<>();
        group(out, "6.5", "valid text", true,
                Payloads.utf8("κόσμε"), Payloads.utf8("Hello-µ@ßöäüàá-UTF-8!!"), Payloads.utf8("🌊 and 海"));
        group(out, "6.6", "first possible sequence of each length (U+0000, U+0080, U+0800, U+10000)", true,
                bytes(0x00), bytes(0xc2, 0x80), bytes(0xe0, 0xa0, 0x80), bytes(0xf0, 0x90, 0x80, 0x80));
        group(out, "6.7", "first possible 5- and 6-byte sequence (not UTF-8 since RFC 3629)", false,
                bytes(0xf8, 0x88, 0x80, 0x80, 0x80), bytes(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80));
        group(out, "6.8", "last possible sequence of each length (U+007F, U+07FF, U+FFFF, U+10FFFF)", true,
                bytes(0x7f), bytes(0xdf, 0xbf), bytes(0xef, 0xbf, 0xbf), bytes(0xf4, 0x8f, 0xbf, 0xbf));
        group(out, "6.9", "4-, 5-, 6-byte sequences beyond U+10FFFF", false,
                bytes(0xf7, 0xbf, 0xbf, 0xbf), bytes(0xfb, 0xbf, 0xbf, 0xbf, 0xbf),
                bytes(0xfd, 0xbf, 0xbf, 0xbf, 0xbf, 0xbf));
        group(out, "6.10", "other boundaries: U+D7FF, U+E000, U+FFFD", true,
                bytes(0xed, 0x9f, 0xbf), bytes(0xee, 0x80, 0x80), bytes(0xef, 0xbf, 0xbd));
        group(out, "6.11", "first code point beyond U+10FFFF (U+110000)", false, bytes(0xf4, 0x90, 0x80, 0x80));
        byte[] allContinuations = new byte[64];
        for (int i = 0; i < 64; i++) {
            allContinuations[i] = (byte) (0x80 + i);
        }
        group(out, "6.12", "unexpected continuation bytes", false,
                bytes(0x80), bytes(0xbf), bytes(0x80, 0xbf), bytes(0x80, 0xbf, 0x80), bytes(0x80, 0xbf, 0x80, 0xbf),
                allContinuations);
        group(out, "6.13", "lonely start bytes, each followed by a space", false,
                lonely(0xc0, 0xdf), lonely(0xe0, 0xef), lonely(0xf0, 0xf7), lonely(0xf8, 0xfb), lonely(0xfc, 0xfd));
        byte[][] truncated = {bytes(0xc0), bytes(0xe0, 0x80), bytes(0xf0, 0x80, 0x80), bytes(0xf8, 0x80, 0x80, 0x80),
                bytes(0xfc, 0x80, 0x80, 0x80, 0x80), bytes(0xdf), bytes(0xef, 0xbf), bytes(0xf7, 0xbf, 0xbf),
                bytes(0xfb, 0xbf, 0xbf, 0xbf), bytes(0xfd, 0xbf, 0xbf, 0xbf, 0xbf)};
        group(out, "6.14", "sequences with the last continuation byte missing", false, truncated);
        group(out, "6.15", "all sequences of 6.14 concatenated", false, Payloads.concat(truncated));
        group(out, "6.16", "impossible bytes 0xFE and 0xFF", false,
                bytes(0xfe), bytes(0xff), bytes(0xfe, 0xfe, 0xff, 0xff));
        group(out, "6.17", "overlong forms of '/' (U+002F)", false,
                bytes(0xc0, 0xaf), bytes(0xe0, 0x80, 0xaf), bytes(0xf0, 0x80, 0x80, 0xaf),
                bytes(0xf8, 0x80, 0x80, 0x80, 0xaf), bytes(0xfc, 0x80, 0x80, 0x80, 0x80, 0xaf));
        group(out, "6.18", "maximum overlong sequences", false,
                bytes(0xc1, 0xbf), bytes(0xe0, 0x9f, 0xbf), bytes(0xf0, 0x8f, 0xbf, 0xbf),
                bytes(0xf8, 0x87, 0xbf, 0xbf, 0xbf), bytes(0xfc, 0x83, 0xbf, 0xbf, 0xbf, 0xbf));
        group(out, "6.19", "overlong forms of NUL", false,
                bytes(0xc0, 0x80), bytes(0xe0, 0x80, 0x80), bytes(0xf0, 0x80, 0x80, 0x80),
                bytes(0xf8, 0x80, 0x80, 0x80, 0x80), bytes(0xfc, 0x80, 0x80, 0x80, 0x80, 0x80));
        group(out, "6.20", "single UTF-16 surrogates (U+D800..U+DFFF are not scalar values)", false,
                bytes(0xed, 0xa0, 0x80), bytes(0xed, 0xad, 0xbf), bytes(0xed, 0xae, 0x80), bytes(0xed, 0xaf, 0xbf),
                bytes(0xed, 0xb0, 0x80), bytes(0xed, 0xbe, 0x80), bytes(0xed, 0xbf, 0xbf));
        group(out, "6.21", "paired UTF-16 surrogates (CESU-8)", false,
                bytes(0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80), bytes(0xed, 0xa0, 0x80, 0xed, 0xbf, 0xbf),
                bytes(0xed, 0xad, 0xbf, 0xed, 0xb0, 0x80), bytes(0xed, 0xad, 0xbf, 0xed, 0xbf, 0xbf),
                bytes(0xed, 0xae, 0x80, 0xed, 0xb0, 0x80), bytes(0xed, 0xae, 0x80, 0xed, 0xbf, 0xbf),
                bytes(0xed, 0xaf, 0xbf, 0xed, 0xb0, 0x80), bytes(0xed, 0xaf, 0xbf, 0xed, 0xbf, 0xbf));
        group(out, "6.22", "noncharacters (U+FFFE, U+FFFF, U+1FFFE, U+10FFFF, U+FDD0, U+FDEF): valid UTF-8", true,
                bytes(0xef, 0xbf, 0xbe), bytes(0xef, 0xbf, 0xbf), bytes(0xf0, 0x9f, 0xbf, 0xbe),
                bytes(0xf4, 0x8f, 0xbf, 0xbf), bytes(0xef, 0xb7, 0x90), bytes(0xef, 0xb7, 0xaf));
        group(out, "6.23", "U+FFFD and text around invalid-looking but valid bytes", true,
                bytes(0xef, 0xbf, 0xbd), Payloads.utf8("\uFFFD\uFFFD text \uFFFD"));
        return out;
    }

    private static byte[] lonely(int first, int last) {
        byte[] out = new byte[(last - first + 1) * 2];
        for (int b = first; b <= last; b++) {
            out[(b - first) * 2] = (byte) b;
            out[(b - first) * 2 + 1] = ' ';
        }
        return out;
    }

    private static void group(List<Sequence> out, String prefix, String description, boolean valid, byte[]... items) {
        for (int i = 0; i < items.length; i++) {
            out.add(new Sequence(prefix + "." + (i + 1), description, items[i], valid));
        }
    }
}
