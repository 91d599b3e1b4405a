package io.breakwater.protocol;

import static io.breakwater.protocol.RecordingListener.Message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autobahn case group 6: UTF-8 handling of text messages (RFC 6455 §5.6, §8.1; RFC 3629). Invalid text
 * fails with 1007 as soon as the first byte that cannot be UTF-8 is read.
 */
@DisplayName("6 UTF-8")
class Utf8Test {

    /** Markus Kuhn's test vectors as Autobahn uses them: case, description, bytes, whether valid. */
    static Stream<Arguments> autobahnVectors() {
        List<Arguments> cases = new ArrayList<>();
        String kosme = "ce ba e1 bd b9 cf 83 ce bc ce b5";
        add(cases, "6.2.1", "Hello-µ@ßöäüàá-UTF-8!!", hex("Hello-µ@ßöäüàá-UTF-8!!"), true);
        add(cases, "6.3.1", "κόσμε + surrogate + edited", kosme + " ed a0 80 65 64 69 74 65 64", false);
        add(cases, "6.5.1", "κόσμε", kosme, true);
        String[] prefixes = {"ce", "ce ba", "ce ba e1", "ce ba e1 bd", "ce ba e1 bd b9", "ce ba e1 bd b9 cf",
                "ce ba e1 bd b9 cf 83", "ce ba e1 bd b9 cf 83 ce", "ce ba e1 bd b9 cf 83 ce bc",
                "ce ba e1 bd b9 cf 83 ce bc ce", kosme};
        boolean[] prefixValid = {false, true, false, false, true, false, true, false, true, false, true};
        for (int i = 0; i < prefixes.length; i++) {
            add(cases, "6.6." + (i + 1), "κόσμε prefix of " + (i + 1) + " bytes", prefixes[i], prefixValid[i]);
        }
        add(cases, "6.7.1", "U+0000", "00", true);
        add(cases, "6.7.2", "U+0080", "c2 80", true);
        add(cases, "6.7.3", "U+0800", "e0 a0 80", true);
        add(cases, "6.7.4", "U+10000", "f0 90 80 80", true);
        add(cases, "6.8.1", "5-byte sequence", "f8 88 80 80 80", false);
        add(cases, "6.8.2", "6-byte sequence", "fc 84 80 80 80 80", false);
        add(cases, "6.9.1", "U+007F", "7f", true);
        add(cases, "6.9.2", "U+07FF", "df bf", true);
        add(cases, "6.9.3", "U+FFFF", "ef bf bf", true);
        add(cases, "6.9.4", "U+10FFFF", "f4 8f bf bf", true);
        add(cases, "6.10.1", "U+1FFFFF", "f7 bf bf bf", false);
        add(cases, "6.10.2", "5-byte max", "fb bf bf bf bf", false);
        add(cases, "6.10.3", "6-byte max", "fd bf bf bf bf bf", false);
        add(cases, "6.11.1", "U+D7FF", "ed 9f bf", true);
        add(cases, "6.11.2", "U+E000", "ee 80 80", true);
        add(cases, "6.11.3", "U+FFFD", "ef bf bd", true);
        add(cases, "6.11.4", "U+10FFFF", "f4 8f bf bf", true);
        add(cases, "6.11.5", "U+110000", "f4 90 80 80", false);
        add(cases, "6.12.1", "lone continuation 80", "80", false);
        add(cases, "6.12.2", "lone continuation bf", "bf", false);
        add(cases, "6.12.3", "2 continuations", "80 bf", false);
        add(cases, "6.12.4", "3 continuations", "80 bf 80", false);
        add(cases, "6.12.5", "4 continuations", "80 bf 80 bf", false);
        add(cases, "6.12.6", "5 continuations", "80 bf 80 bf 80", false);
        add(cases, "6.12.7", "6 continuations", "80 bf 80 bf 80 bf", false);
        StringBuilder all = new StringBuilder();
        for (int b = 0x80; b <= 0xBF; b++) {
            all.append(String.format("%02x ", b));
        }
        add(cases, "6.12.8", "all 64 continuation bytes", all.toString(), false);
        add(cases, "6.13.1", "2-byte leads each followed by a space", spaced(0xC0, 0xDF), false);
        add(cases, "6.13.2", "3-byte leads each followed by a space", spaced(0xE0, 0xEF), false);
        add(cases, "6.13.3", "4-byte leads each followed by a space", spaced(0xF0, 0xF7), false);
        add(cases, "6.13.4", "5-byte leads each followed by a space", spaced(0xF8, 0xFB), false);
        add(cases, "6.13.5", "6-byte leads each followed by a space", spaced(0xFC, 0xFD), false);
        String[] missingLast = {"c0", "e0 80", "f0 80 80", "f8 80 80 80", "fc 80 80 80 80", "df", "ef bf",
                "f7 bf bf", "fb bf bf bf", "fd bf bf bf bf"};
        for (int i = 0; i < missingLast.length; i++) {
            add(cases, "6.14." + (i + 1), "last continuation byte missing", missingLast[i], false);
        }
        add(cases, "6.15.1", "concatenated incomplete sequences", String.join(" ", missingLast), false);
        add(cases, "6.16.1", "fe", "fe", false);
        add(cases, "6.16.2", "ff", "ff", false);
        add(cases, "6.16.3", "fe fe ff ff", "fe fe ff ff", false);
        String[] overlongSlash = {"c0 af", "e0 80 af", "f0 80 80 af", "f8 80 80 80 af", "fc 80 80 80 80 af"};
        for (int i = 0; i < overlongSlash.length; i++) {
            add(cases, "6.17." + (i + 1), "overlong '/'", overlongSlash[i], false);
        }
        String[] maxOverlong = {"c1 bf", "e0 9f bf", "f0 8f bf bf", "f8 87 bf bf bf", "fc 83 bf bf bf bf"};
        for (int i = 0; i < maxOverlong.length; i++) {
            add(cases, "6.18." + (i + 1), "maximum overlong", maxOverlong[i], false);
        }
        String[] overlongNul = {"c0 80", "e0 80 80", "f0 80 80 80", "f8 80 80 80 80", "fc 80 80 80 80 80"};
        for (int i = 0; i < overlongNul.length; i++) {
            add(cases, "6.19." + (i + 1), "overlong NUL", overlongNul[i], false);
        }
        String[] surrogates = {"ed a0 80", "ed ad bf", "ed ae 80", "ed af bf", "ed b0 80", "ed be 80", "ed bf bf"};
        for (int i = 0; i < surrogates.length; i++) {
            add(cases, "6.20." + (i + 1), "single UTF-16 surrogate", surrogates[i], false);
        }
        String[] pairs = {"ed a0 80 ed b0 80", "ed a0 80 ed bf bf", "ed ad bf ed b0 80", "ed ad bf ed bf bf",
                "ed ae 80 ed b0 80", "ed ae 80 ed bf bf", "ed af bf ed b0 80", "ed af bf ed bf bf"};
        for (int i = 0; i < pairs.length; i++) {
            add(cases, "6.21." + (i + 1), "paired UTF-16 surrogates", pairs[i], false);
        }
        String[] nonCharacters = {"ef bf be", "ef bf bf", "f0 9f bf be", "f0 9f bf bf", "f4 8f bf be", "f4 8f bf bf",
                "ef b7 90", "ef b7 af"};
        for (String nonCharacter : nonCharacters) {
            add(cases, "6.22", "noncharacter (valid)", nonCharacter, true);
        }
        for (String special : new String[] {"ef bf b9", "ef bf ba", "ef bf bb", "ef bf bc", "ef bf bd", "ef bb bf"}) {
            add(cases, "6.23", "special (valid)", special, true);
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "case {0}: {1} [{2}]")
    @MethodSource("autobahnVectors")
    void autobahnVector(String autobahnCase, String description, String hex, boolean valid) {
        byte[] bytes = Hex.parse(hex);
        for (Role role : Role.values()) {
            // One frame, whole; one frame, byte by byte; one fragment per byte.
            Endpoint whole = Endpoint.of(role).receive(TestFrame.text(bytes));
            Endpoint octets = Endpoint.of(role).receiveChunked(1, TestFrame.text(bytes));
            Endpoint fragments = Endpoint.of(role).receive(oneFragmentPerByte(bytes));
            for (Endpoint endpoint : List.of(whole, octets, fragments)) {
                if (valid) {
                    assertEquals(List.of(new Message(true, Blob.of(bytes))), endpoint.messages(), role.toString());
                    endpoint.assertNothingWritten();
                } else {
                    assertEquals(List.of(), endpoint.listener.dataMessages(), role.toString());
                    endpoint.assertFailed(Violation.INVALID_UTF8);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_1_1_emptyText(Role role) {
        Endpoint endpoint = Endpoint.of(role).receive(TestFrame.text(""));
        assertEquals(List.of(Message.text("")), endpoint.messages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_1_2_threeEmptyFragments(Role role) {
        Endpoint endpoint = Endpoint.of(role).receive(TestFrame.text("").fin(false), TestFrame.continuation("").fin(false),
                TestFrame.continuation(""));
        assertEquals(List.of(Message.text("")), endpoint.messages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_1_3_emptyFragmentsAroundAPayload(Role role) {
        Endpoint endpoint = Endpoint.of(role).receive(TestFrame.text("").fin(false),
                TestFrame.continuation("middle frame payload").fin(false), TestFrame.continuation(""));
        assertEquals(List.of(Message.text("middle frame payload")), endpoint.messages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_2_2_validTextIn2FragmentsAtACodePointBoundary(Role role) {
        Endpoint endpoint = Endpoint.of(role).receive(TestFrame.text("Hello-µ@ßöäü").fin(false),
                TestFrame.continuation("àá-UTF-8!!"));
        assertEquals(List.of(Message.text("Hello-µ@ßöäüàá-UTF-8!!")), endpoint.messages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_2_3_validTextInOneByteFragments(Role role) {
        byte[] bytes = "Hello-µ@ßöäüàá-UTF-8!!".getBytes(StandardCharsets.UTF_8);
        Endpoint endpoint = Endpoint.of(role).receive(oneFragmentPerByte(bytes));
        assertEquals(List.of(Message.text("Hello-µ@ßöäüàá-UTF-8!!")), endpoint.messages());
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_2_4_kosmeInOneByteFragments(Role role) {
        Endpoint endpoint = Endpoint.of(role).receive(oneFragmentPerByte(Hex.parse("ce ba e1 bd b9 cf 83 ce bc ce b5")));
        // Markus Kuhn's κόσμε: the second letter is U+1F79 (omicron with oxia), not U+03CC.
        assertEquals(List.of(Message.text("κ\u1F79σμε")), endpoint.messages());
    }

    /** 6.4.1: the fragment that makes the text invalid fails the connection before the next one arrives. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_4_1_failFastOnTheInvalidFragment(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.text(Hex.parse("ce ba e1 bd b9 cf 83 ce bc ce b5")).fin(false));
        assertEquals(0, endpoint.listener.closeCount());
        endpoint.receive(TestFrame.continuation(Hex.parse("f4 90 80 80")).fin(false));
        endpoint.assertFailed(Violation.INVALID_UTF8);
        endpoint.receive(TestFrame.continuation(Hex.parse("65 64 69 74 65 64")));
        assertEquals(1, endpoint.listener.closeCount());
    }

    /** 6.4.2: F4 ends one fragment, 90 (beyond U+10FFFF) starts the next and fails it. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_4_2_failFastAcrossFragments(Role role) {
        Endpoint endpoint = Endpoint.of(role);
        endpoint.receive(TestFrame.text(Hex.parse("ce ba e1 bd b9 cf 83 ce bc ce b5 f4")).fin(false));
        assertEquals(0, endpoint.listener.closeCount(), "F4 may still start a valid code point");
        endpoint.receive(TestFrame.continuation(Hex.parse("90")).fin(false));
        endpoint.assertFailed(Violation.INVALID_UTF8);
    }

    /** 6.4.3 and 6.4.4: inside one frame, the connection fails as soon as the bad bytes are read, before the frame ends. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void case_6_4_3_failFastInsideAFrame(Role role) {
        for (String[] chops : new String[][] {
                {"ce ba e1 bd b9 cf 83 ce bc ce b5", "f4 90 80 80", "65 64 69 74 65 64"},
                {"ce ba e1 bd b9 cf 83 ce bc ce b5 f4", "90", "80 80 65 64 69 74 65 64"}}) {
            Endpoint endpoint = Endpoint.of(role);
            byte[] payload = Hex.parse(String.join(" ", chops));
            byte[] frame = endpoint.encode(TestFrame.text(payload));
            int header = frame.length - payload.length;
            int first = header + Hex.parse(chops[0]).length;
            int second = first + Hex.parse(chops[1]).length;
            endpoint.feed(Arrays.copyOfRange(frame, 0, first));
            assertEquals(0, endpoint.listener.closeCount());
            // What was read so far is delivered, a code point's lead byte (F4) included.
            assertEquals(List.of(new RecordingListener.Data(true, Blob.of(Hex.parse(chops[0])), false)),
                    endpoint.listener.merged());
            endpoint.feed(Arrays.copyOfRange(frame, first, second));
            endpoint.assertFailed(Violation.INVALID_UTF8);
        }
    }

    /** A frame that announces 100 bytes and starts with an overlong form fails on its first bytes. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void failFastBeforeTheFrameIsComplete(Role role) {
        for (String bad : new String[] {"c0 af", "e0 80 af", "ed a0 80", "f4 90 80 80", "f5", "fe", "ff", "80"}) {
            Endpoint endpoint = Endpoint.of(role);
            byte[] payload = new byte[100];
            Arrays.fill(payload, (byte) 'a');
            byte[] invalid = Hex.parse(bad);
            System.arraycopy(invalid, 0, payload, 2, invalid.length);
            byte[] frame = endpoint.encode(TestFrame.text(payload));
            int header = frame.length - payload.length;
            endpoint.feed(Arrays.copyOf(frame, header + 2 + invalid.length));
            endpoint.assertFailed(Violation.INVALID_UTF8);
            assertEquals(CloseStatus.INVALID_PAYLOAD, endpoint.listener.closeStatus().code());
        }
    }

    /** A code point cut off by the end of the message fails when the message ends, not before. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void truncatedSequenceAtTheEndOfTheMessage(Role role) {
        for (String tail : new String[] {"ce", "e1 bd", "f0 90 80", "f4"}) {
            Endpoint endpoint = Endpoint.of(role);
            endpoint.receive(TestFrame.text(Hex.concat("ab".getBytes(), Hex.parse(tail))).fin(false));
            assertEquals(0, endpoint.listener.closeCount(), "the code point may still be completed");
            endpoint.receive(TestFrame.continuation(new byte[0]));
            endpoint.assertFailed(Violation.INVALID_UTF8);

            Endpoint single = Endpoint.of(role).receive(TestFrame.text(Hex.concat("ab".getBytes(), Hex.parse(tail))));
            single.assertFailed(Violation.INVALID_UTF8);
            single.assertNothingDelivered();
        }
    }

    /** Valid text split into two fragments at every byte position, code points cut in every way, with a ping between. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void validTextSplitAtEveryBytePosition(Role role) {
        String text = "κόσμε \u0080\u07FF\u0800\uFFFF\uD800\uDC00\uDBFF\uDFFF|\u00e9\u4e2d\uD83D\uDE00";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            for (int chunk : new int[] {1, Integer.MAX_VALUE}) {
                Endpoint endpoint = Endpoint.of(role);
                endpoint.receiveChunked(chunk, TestFrame.text(Arrays.copyOf(bytes, split)).fin(false), TestFrame.ping("p"),
                        TestFrame.continuation(Arrays.copyOfRange(bytes, split, bytes.length)));
                assertEquals(List.of(new RecordingListener.Ping(Blob.utf8("p")), Message.text(text)), endpoint.messages());
            }
        }
        // Three fragments, at every pair of positions.
        for (int i = 0; i <= bytes.length; i++) {
            for (int j = i; j <= bytes.length; j++) {
                Endpoint endpoint = Endpoint.of(role);
                endpoint.receive(TestFrame.text(Arrays.copyOf(bytes, i)).fin(false),
                        TestFrame.continuation(Arrays.copyOfRange(bytes, i, j)).fin(false),
                        TestFrame.continuation(Arrays.copyOfRange(bytes, j, bytes.length)));
                assertEquals(List.of(Message.text(text)), endpoint.messages());
            }
        }
    }

    /** Invalid text split at every position fails with the fragment that holds the first bad byte. */
    @ParameterizedTest
    @EnumSource(Role.class)
    void invalidTextSplitAtEveryBytePosition(Role role) {
        byte[] bytes = Hex.parse("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64");
        int firstBad = 12; // ED is a valid lead byte; A0 after it would be a surrogate
        for (int split = 0; split <= bytes.length; split++) {
            Endpoint endpoint = Endpoint.of(role);
            endpoint.receive(TestFrame.text(Arrays.copyOf(bytes, split)).fin(false));
            assertEquals(split > firstBad ? 1 : 0, endpoint.listener.closeCount(), "split at " + split);
            endpoint.receive(TestFrame.continuation(Arrays.copyOfRange(bytes, split, bytes.length)));
            endpoint.assertFailed(Violation.INVALID_UTF8);
            assertEquals(List.of(), endpoint.listener.dataMessages());
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void binaryMessagesAreNotValidated(Role role) {
        byte[] garbage = Hex.parse("ff fe c0 af ed a0 80 80 ce");
        Endpoint endpoint = Endpoint.of(role).receive(TestFrame.binary(garbage), TestFrame.text("ok"));
        assertEquals(List.of(Message.binary(garbage), Message.text("ok")), endpoint.messages());
        assertTrue(endpoint.connection.isOpen());
        assertFalse(endpoint.listener.closeCount() > 0);
    }

    private static TestFrame[] oneFragmentPerByte(byte[] bytes) {
        if (bytes.length == 0) {
            return new TestFrame[] {TestFrame.text(bytes)};
        }
        TestFrame[] frames = new TestFrame[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            frames[i] = TestFrame.of(i == 0 ? TestFrame.TEXT : TestFrame.CONTINUATION, new byte[] {bytes[i]})
                    .fin(i == bytes.length - 1);
        }
        return frames;
    }

    private static void add(List<Arguments> cases, String autobahnCase, String description, String hex, boolean valid) {
        cases.add(Arguments.of(autobahnCase, description, hex, valid));
    }

    private static String hex(String text) {
        return Hex.of(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String spaced(int from, int to) {
        StringBuilder hex = new StringBuilder();
        for (int b = from; b <= to; b++) {
            hex.append(String.format("%02x 20 ", b));
        }
        return hex.toString();
    }
}
