package io.breakwater.conformance.cases;

import io.breakwater.conformance.run.Event;
import java.util.List;

/** Reads like a case's entry in a report: id, description, expectation, script, events, closing. */
public final class CaseBuilder {
    private final String id;
    private final String description;
    private String expectation = "";
    private Script script = context -> { };
    private Expected expected = Expected.nothing();
    private Closing closing = Closing.normal();
    private DeflateSetup deflate;

    private CaseBuilder(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public static CaseBuilder of(String id, String description) {
        return new CaseBuilder(id, description);
    }

    public CaseBuilder expect(String text) {
        this.expectation = text;
        return this;
    }

    public CaseBuilder script(Script value) {
        this.script = value;
        return this;
    }

    public CaseBuilder events(Event... events) {
        this.expected = Expected.ok(events);
        return this;
    }

    public CaseBuilder events(List<Event> events) {
        this.expected = Expected.ok(events);
        return this;
    }

    public CaseBuilder expected(Expected value) {
        this.expected = value;
        return this;
    }

    public CaseBuilder closing(Closing value) {
        this.closing = value;
        return this;
    }

    public CaseBuilder deflate(DeflateSetup value) {
        this.deflate = value;
        return this;
    }

    public ConformanceCase build() {
        return new ConformanceCase(id, description, expectation, script, expected, closing, deflate);
    }
}
