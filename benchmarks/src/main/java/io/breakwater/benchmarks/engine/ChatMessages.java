package io.breakwater.benchmarks.engine;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Realistic chat traffic as JSON, about 1 KiB a message: ids, sequence numbers, timestamps, users,
 * text, mentions, reactions. Seeded, so every run and every benchmark sees the same bytes; the deflate
 * baseline and the Breakwater permessage-deflate benchmarks share it through {@link DeflateCorpus}.
 */
public final class ChatMessages {

    /** Messages in the corpus; a power of two, so benchmarks cycle with a mask. */
    public static final int COUNT = 512;
    public static final long SEED = 7692L;
    /** Message sizes are drawn uniformly from [MIN_SIZE, MAX_SIZE], about 1 KiB on average. */
    public static final int MIN_SIZE = 768;
    public static final int MAX_SIZE = 1280;

    private static final String[] FIRST = {
        "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj",
        "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Zoë", "Jürgen", "Søren", "José", "Maël",
    };
    private static final String[] LAST = {
        "Johnson", "Smith", "Nguyen", "Garcia", "Müller", "Rossi", "Kowalski", "Tanaka", "Okafor", "Dubois",
        "Larsen", "Silva", "Chen", "Novak", "O'Brien", "Haddad",
    };
    private static final String[] ROOMS = {
        "general", "random", "platform-team", "incident-4821", "design-review", "release-train", "support-eu",
        "announcements",
    };
    private static final String[] WORDS = {
        "the", "deploy", "is", "done", "and", "metrics", "look", "fine", "can", "you", "review", "my", "pull",
        "request", "before", "lunch", "I", "think", "we", "should", "roll", "back", "latency", "went", "up",
        "after", "the", "last", "release", "on", "eu-west", "nodes", "thanks", "for", "the", "quick", "fix",
        "meeting", "moved", "to", "3pm", "tomorrow", "please", "update", "ticket", "with", "logs", "from",
        "staging", "cache", "hit", "rate", "dropped", "to", "87%", "again", "weird", "👍", "🎉", "looks",
        "good", "to", "me", "merging", "now", "café", "déjà", "vu", "ok", "let's", "sync", "later", "today",
    };
    private static final String[] EMOJI = {"👍", "🎉", "❤️", "😂", "👀", "🚀", "✅"};
    private static final String[] CLIENTS = {"web", "ios", "android", "desktop"};
    private static final String ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private ChatMessages() {
    }

    /** The {@link #COUNT} messages of the corpus, as UTF-8. */
    public static byte[][] generate() {
        return generate(COUNT, SEED);
    }

    public static byte[][] generate(int count, long seed) {
        return generate(count, seed, MIN_SIZE, MAX_SIZE);
    }

    /**
     * {@code count} messages whose sizes are drawn uniformly from [minSize, maxSize]; a message is never
     * shorter than its fields, about 350 bytes.
     */
    public static byte[][] generate(int count, long seed, int minSize, int maxSize) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] messages = new byte[count][];
        long timestamp = 1_741_944_413_000L; // 2025-03-14T09:26:53Z
        long sequence = 104_233;
        for (int i = 0; i < count; i++) {
            timestamp += random.nextInt(50, 30_000);
            sequence += 1 + random.nextInt(3);
            messages[i] = message(random, timestamp, sequence, random.nextInt(minSize, maxSize + 1));
        }
        return messages;
    }

    /** The average message size of {@link #generate()}, in bytes. */
    public static double meanSize() {
        long total = 0;
        for (byte[] message : generate()) {
            total += message.length;
        }
        return (double) total / COUNT;
    }

    private static byte[] message(SplittableRandom random, long timestamp, long sequence, int targetSize) {
        int userId = 10_000 + random.nextInt(FIRST.length * LAST.length);
        String first = FIRST[userId % FIRST.length];
        String last = LAST[(userId / FIRST.length) % LAST.length];
        String room = ROOMS[random.nextInt(ROOMS.length)];
        StringBuilder head = new StringBuilder(targetSize + 64);
        head.append("{\"type\":\"message\",\"id\":\"msg_").append(id(random, 16)).append('"')
                .append(",\"room\":{\"id\":\"room-").append(Math.abs(room.hashCode()) % 1000)
                .append("\",\"name\":\"").append(room).append("\"}")
                .append(",\"seq\":").append(sequence)
                .append(",\"ts\":\"").append(Instant.ofEpochMilli(timestamp)).append('"')
                .append(",\"user\":{\"id\":").append(userId)
                .append(",\"name\":\"").append(first).append(' ').append(last.replace("'", "\\u0027")).append('"')
                .append(",\"handle\":\"@").append(first.toLowerCase(Locale.ROOT)).append(userId % 97).append('"')
                .append(",\"avatar\":\"https://cdn.example.com/avatars/").append(userId).append(".png\"")
                .append(",\"status\":\"").append(random.nextInt(4) == 0 ? "away" : "online").append("\"}");
        StringBuilder tail = new StringBuilder(256);
        tail.append("\",\"mentions\":[");
        int mentions = random.nextInt(3);
        for (int m = 0; m < mentions; m++) {
            tail.append(m == 0 ? "" : ",").append("\"@")
                    .append(FIRST[random.nextInt(FIRST.length)].toLowerCase(Locale.ROOT)).append('"');
        }
        tail.append("],\"reactions\":[");
        int reactions = random.nextInt(4);
        for (int r = 0; r < reactions; r++) {
            tail.append(r == 0 ? "" : ",").append("{\"emoji\":\"").append(EMOJI[random.nextInt(EMOJI.length)])
                    .append("\",\"count\":").append(1 + random.nextInt(12)).append('}');
        }
        tail.append("],\"edited\":").append(random.nextInt(10) == 0)
                .append(",\"thread\":");
        if (random.nextInt(3) == 0) {
            tail.append("{\"replyTo\":\"msg_").append(id(random, 16)).append("\",\"replies\":")
                    .append(random.nextInt(40)).append('}');
        } else {
            tail.append("null");
        }
        tail.append(",\"client\":{\"app\":\"").append(CLIENTS[random.nextInt(CLIENTS.length)])
                .append("\",\"version\":\"4.").append(random.nextInt(20)).append('.').append(random.nextInt(10))
                .append("\"}}");

        head.append(",\"text\":\"");
        int budget = targetSize - utf8Length(head) - utf8Length(tail);
        StringBuilder text = new StringBuilder(Math.max(budget, 16));
        int textBytes = 0;
        do {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (random.nextInt(25) == 0) {
                word = "https://tracker.example.com/issues/" + (40_000 + random.nextInt(9_000));
            } else if (random.nextInt(30) == 0) {
                word = Integer.toString(random.nextInt(100_000));
            }
            if (textBytes > 0) {
                String separator = random.nextInt(9) == 0 ? ". " : " ";
                text.append(separator);
                textBytes += separator.length();
            }
            text.append(word);
            textBytes += utf8Length(word);
        } while (textBytes < budget);
        return head.append(text).append(tail).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String id(SplittableRandom random, int length) {
        char[] id = new char[length];
        for (int i = 0; i < length; i++) {
            id[i] = ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length()));
        }
        return new String(id);
    }

    private static int utf8Length(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
