package io.breakwater.samples.chat;

import java.util.List;
import java.util.regex.Pattern;

/** What a member may be called and what a room may be called. */
final class MemberNames {

    static final int MAX_NAME_LENGTH = 24;

    private static final Pattern ROOM = Pattern.compile("[\\p{L}\\p{N}_-]{1,40}");
    private static final Pattern CONTROL_OR_SPACES = Pattern.compile("[\\p{Cc}\\p{Cf}\\s]+");

    private MemberNames() {
    }

    /**
     * The name asked for in the {@code name} query parameter, with runs of spaces and invisible
     * characters made one space and cut to {@value #MAX_NAME_LENGTH} characters; "guest" when none is left.
     */
    static String fromRequest(List<String> requested) {
        String raw = requested == null || requested.isEmpty() ? "" : requested.get(0);
        String cleaned = CONTROL_OR_SPACES.matcher(raw).replaceAll(" ").strip();
        if (cleaned.codePointCount(0, cleaned.length()) > MAX_NAME_LENGTH) {
            cleaned = cleaned.substring(0, cleaned.offsetByCodePoints(0, MAX_NAME_LENGTH)).strip();
        }
        return cleaned.isEmpty() ? "guest" : cleaned;
    }

    static boolean isRoomName(String room) {
        return ROOM.matcher(room).matches();
    }
}
