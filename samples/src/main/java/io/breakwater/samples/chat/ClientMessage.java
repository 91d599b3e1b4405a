package io.breakwater.samples.chat;

/** What a member sends: a line of chat, as {@code {"type":"say","text":"..."}}. */
public record ClientMessage(String text) {
}
