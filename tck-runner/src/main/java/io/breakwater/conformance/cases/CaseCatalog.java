package io.breakwater.conformance.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Every case, in report order, and selection by id patterns such as {@code 1.*,7.9.*,12.1.3}. */
public final class CaseCatalog {
    private CaseCatalog() {
    }

    public static List<ConformanceCase> all() {
        List<ConformanceCase> cases = new ArrayList<>();
        cases.addAll(FramingCases.cases());
        cases.addAll(PingPongCases.cases());
        cases.addAll(ReservedBitsCases.cases());
        cases.addAll(OpcodeCases.cases());
        cases.addAll(FragmentationCases.cases());
        cases.addAll(Utf8Cases.cases());
        cases.addAll(CloseCases.cases());
        cases.addAll(LimitsCases.cases());
        cases.addAll(AutoFragmentationCases.cases());
        cases.addAll(DeflateCases.group12());
        cases.addAll(DeflateCases.group13());
        return cases;
    }

    /**
     * The cases whose id matches one of the comma-separated patterns; {@code *} matches any rest,
     * so {@code 7.*} is group 7 and {@code 7.9.*} is 7.9.1, 7.9.2, ...
     */
    public static List<ConformanceCase> select(String patterns) {
        Predicate<String> wanted = id -> false;
        for (String pattern : patterns.split(",")) {
            String p = pattern.trim();
            if (p.endsWith("*")) {
                String prefix = p.substring(0, p.length() - 1);
                wanted = wanted.or(id -> id.startsWith(prefix));
            } else {
                wanted = wanted.or(id -> id.equals(p));
            }
        }
        Predicate<String> filter = wanted;
        return all().stream().filter(c -> filter.test(c.id())).toList();
    }
}
