package io.breakwater.conformance.cases;

import java.io.IOException;

/** What the fuzzer does in a case once the connection is open. */
@FunctionalInterface
public interface Script {
    void run(CaseContext context) throws IOException, InterruptedException;
}
