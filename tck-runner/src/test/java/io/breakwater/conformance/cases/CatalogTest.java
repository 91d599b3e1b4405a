package io.breakwater.conformance.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.breakwater.conformance.wire.Hex;
import io.breakwater.conformance.wire.Utf8;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogTest {

    @Test
    void utf8LabelsAgreeWithTheJdkDecoder() {
        for (Utf8Sequences.Sequence sequence : Utf8Sequences.all()) {
            assertEquals(sequence.valid(), Utf8.isValid(sequence.bytes()),
                    sequence.id() + " " + Hex.of(sequence.bytes(), 64));
        }
    }

    @Test
    void idsAreUniqueAndEveryGroupIsThere() {
        List<ConformanceCase> all = CaseCatalog.all();
        Set<String> ids = new HashSet<>();
        Set<String> groups = new HashSet<>();
        for (ConformanceCase testCase : all) {
            assertTrue(ids.add(testCase.id()), "duplicate id " + testCase.id());
            groups.add(testCase.group());
        }
        assertEquals(Set.of("1", "2", "3", "4", "5", "6", "7", "9", "10", "12", "13"), groups);
    }

    @Test
    void selectionByPattern() {
        List<ConformanceCase> selected = CaseCatalog.select("7.9.*,1.1.1");
        assertEquals("1.1.1", selected.get(0).id());
        assertEquals(11, selected.size());
        assertTrue(selected.stream().skip(1).allMatch(c -> c.id().startsWith("7.9.")));
    }
}
