package io.breakwater.benchmarks.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.zip.DataFormatException;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the engine benchmarks with defaults for a small shared machine, writes JMH's JSON result and a
 * markdown table, and prints the table with derived figures: GB/s for masking, million frames per
 * second for parsing (also net of the input copy), messages and GB/s for writing, MB/s of JSON for
 * deflate.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.breakwater.benchmarks.engine.EngineBenchmarks \
 *     [--quick] [--out DIR] [JMH options and benchmark regexps]
 * </pre>
 *
 * JMH options given on the command line win over the defaults ({@code -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1},
 * or {@code -f 1 -wi 2 -w 500ms -i 5 -r 500ms -t 1} with {@code --quick}); without a regexp, every
 * benchmark of this package runs. {@code -prof gc} adds a column of bytes allocated per operation.
 *
 * <p>The error column is JMH's 99.9% confidence interval: with few iterations on a shared machine it
 * is wide, and with fewer than five measured iterations it is wider still (Student's t for 2 degrees
 * of freedom is 31.6).
 */
public final class EngineBenchmarks {

    static final double MASKING_TARGET_GBPS = 4.0;
    static final double PARSING_TARGET_MFPS = 10.0;

    private EngineBenchmarks() {
    }

    public static void main(String[] args) throws IOException, RunnerException {
        boolean quick = false;
        Path out = Path.of("benchmarks", "results");
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> {
                    if (i + 1 == args.length) {
                        fail("--out needs a directory");
                    }
                    out = Path.of(args[++i]);
                }
                case "--help" -> {
                    usage(System.out);
                    return;
                }
                default -> jmhArgs.add(args[i]);
            }
        }

        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            fail(e.getMessage());
            return;
        }
        if (cli.shouldHelp()) {
            usage(System.out);
            System.out.println();
            cli.showHelp();
            return;
        }

        Files.createDirectories(out);
        Path json = out.resolve("engine.json");
        Path markdown = out.resolve("engine.md");

        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(EngineBenchmarks.class.getPackageName().replace(".", "\\.") + "\\..*");
        }
        if (!cli.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!cli.getThreads().hasValue()) {
            options.threads(1);
        }
        if (!cli.getWarmupIterations().hasValue()) {
            options.warmupIterations(quick ? 2 : 3);
        }
        if (!cli.getWarmupTime().hasValue()) {
            options.warmupTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(2));
        }
        if (!cli.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5);
        }
        if (!cli.getMeasurementTime().hasValue()) {
            options.measurementTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(2));
        }
        if (!cli.shouldFailOnError().hasValue()) {
            options.shouldFailOnError(true); // a benchmark whose setup check fails must not leave a gap unnoticed
        }
        if (!cli.getResult().hasValue()) {
            options.result(json.toString()).resultFormat(ResultFormatType.JSON);
        } else {
            json = Path.of(cli.getResult().get());
        }

        Runner runner = new Runner(options.build());
        if (cli.shouldList() || cli.shouldListWithParams()) {
            runner.list();
            return;
        }
        Collection<RunResult> results = runner.run();
        if (results.isEmpty()) {
            System.err.println("No benchmark ran.");
            System.exit(1);
        }

        String table = table(results);
        Files.writeString(markdown, table, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.println("JMH result: " + json);
        System.out.println("Table:      " + markdown);
    }

    private static void fail(String error) {
        System.err.println(error);
        usage(System.err);
        System.exit(2);
    }

    private static void usage(PrintStream out) {
        out.println("Usage: EngineBenchmarks [--quick] [--out DIR] [JMH options] [benchmark regexp...]");
        out.println("  --quick     2 warm-up and 5 measured iterations of 500 ms (default: 3 and 5 of 2 s)");
        out.println("  --out DIR   where engine.json and engine.md go (default: benchmarks/results)");
        out.println("  JMH's options win over the defaults; -h lists them, -l lists the benchmarks.");
    }

    // -------------------------------------------------------------------------------------- the table

    static String table(Collection<RunResult> results) {
        boolean allocation = results.stream().anyMatch(r -> allocationPerOp(r) != null);
        StringBuilder md = new StringBuilder();
        BenchmarkParams first = results.iterator().next().getParams();
        md.append("# Breakwater engine benchmarks\n\n");
        md.append(String.format(Locale.ROOT, "%s, JDK %s (%s %s), %d CPUs, %s%n",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                first.getJdkVersion(), first.getVmName(), first.getVmVersion(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch")));
        md.append(String.format(Locale.ROOT,
                "JMH %s: %d fork(s), %d thread(s), warm-up %d x %s, measurement %d x %s%n%n",
                first.getJmhVersion(), first.getForks(), first.getThreads(),
                first.getWarmup().getCount(), first.getWarmup().getTime(),
                first.getMeasurement().getCount(), first.getMeasurement().getTime()));

        md.append("| Benchmark | Params | Score | Error | Unit | Derived |");
        md.append(allocation ? " Alloc B/op |\n" : "\n");
        md.append("|---|---|--:|--:|---|---|");
        md.append(allocation ? "--:|\n" : "\n");
        double meanMessage = ChatMessages.meanSize();
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            Result<?> primary = result.getPrimaryResult();
            md.append("| ").append(shortName(params.getBenchmark()))
                    .append(" | ").append(paramsOf(params))
                    .append(" | ").append(number(primary.getScore()))
                    .append(" | ").append(Double.isNaN(primary.getScoreError()) ? "n/a" : "± " + number(primary.getScoreError()))
                    .append(" | ").append(primary.getScoreUnit())
                    .append(" | ").append(derived(result, results, meanMessage))
                    .append(" |");
            if (allocation) {
                Double bytes = allocationPerOp(result);
                md.append(' ').append(bytes == null ? "" : String.format(Locale.ROOT, "%.1f", bytes)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        md.append("Masking and parsing scores are per byte and per frame (@OperationsPerInvocation); writing and ")
                .append("deflate scores are per message. Parsing \"net of copy\" removes the cost of restoring the ")
                .append("masked input before each receive (restoreOnly): 1/(1/receive - 1/restoreOnly). ")
                .append(String.format(Locale.ROOT, "Deflate MB/s counts uncompressed JSON, %.0f bytes a message on average",
                        meanMessage));
        if (results.stream().anyMatch(r -> className(r.getParams().getBenchmark()).startsWith("Deflate"))) {
            md.append(String.format(Locale.ROOT, "; with context takeover at level 6 the wire payloads are %.1f%% of it",
                    100 * compressedShare()));
        }
        md.append(".\n");
        return md.toString();
    }

    private static String derived(RunResult result, Collection<RunResult> all, double meanMessage) {
        BenchmarkParams params = result.getParams();
        String name = params.getBenchmark();
        double score = result.getPrimaryResult().getScore();
        if (!result.getPrimaryResult().getScoreUnit().equals("ops/s")) {
            return "";
        }
        String className = className(name);
        String method = name.substring(name.lastIndexOf('.') + 1);
        if (className.equals(MaskingBenchmark.class.getSimpleName())) {
            double gbps = score / 1e9;
            String text = String.format(Locale.ROOT, "%.2f GB/s", gbps);
            return method.startsWith("mask") ? text + target(gbps >= MASKING_TARGET_GBPS, "≥ 4 GB/s") : text;
        }
        if (className.equals(FrameParsingBenchmark.class.getSimpleName())) {
            double mfps = score / 1e6;
            String text = String.format(Locale.ROOT, "%.2f M frames/s", mfps);
            if (method.equals("validateOnly")) {
                return text + String.format(Locale.ROOT, " (%.2f GB/s validated)", score * FrameParsingBenchmark.PAYLOAD / 1e9);
            }
            if (!method.equals("receive")) {
                return text + String.format(Locale.ROOT, " (%.2f GB/s copied)",
                        score * FrameParsingBenchmark.FRAME_BYTES / 1e9);
            }
            RunResult copy = find(all, FrameParsingBenchmark.class.getName() + ".restoreOnly",
                    "buffer", params.getParam("buffer"));
            if (copy != null) {
                double copyScore = copy.getPrimaryResult().getScore();
                double net = 1 / (1 / score - 1 / copyScore);
                if (net > 0 && !Double.isInfinite(net)) {
                    text += String.format(Locale.ROOT, ", %.2f net of copy", net / 1e6);
                }
            }
            return text + target(mfps >= PARSING_TARGET_MFPS, "≥ 10 M frames/s");
        }
        if (className.equals(FrameWritingBenchmark.class.getSimpleName())) {
            String size = params.getParam("size");
            String text = String.format(Locale.ROOT, "%.2f M msg/s", score / 1e6);
            if (size != null && method.startsWith("client")) {
                text += String.format(Locale.ROOT, ", %.2f GB/s masked", score * Integer.parseInt(size) / 1e9);
            } else if (size != null) {
                text += " (payload passed on as a view)";
            }
            return text;
        }
        if (className.startsWith("Deflate")) {
            return String.format(Locale.ROOT, "%.1f MB/s", score * meanMessage / 1e6);
        }
        return "";
    }

    /** Compressed bytes over message bytes for the whole corpus, as {@link DeflateCorpus} compresses it. */
    private static double compressedShare() {
        DeflateCorpus corpus = new DeflateCorpus();
        try {
            corpus.setUp();
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
        return (double) corpus.totalCompressed / corpus.totalBytes;
    }

    private static String target(boolean met, String target) {
        return " (target " + target + ": " + (met ? "met" : "**missed**") + ")";
    }

    private static RunResult find(Collection<RunResult> all, String benchmark, String param, String value) {
        for (RunResult candidate : all) {
            BenchmarkParams params = candidate.getParams();
            if (params.getBenchmark().equals(benchmark)
                    && (value == null || value.equals(params.getParam(param)))) {
                return candidate;
            }
        }
        return null;
    }

    /** Bytes allocated per operation, when run with {@code -prof gc}. */
    private static Double allocationPerOp(RunResult result) {
        for (String key : result.getSecondaryResults().keySet()) {
            if (key.endsWith("gc.alloc.rate.norm")) {
                return result.getSecondaryResults().get(key).getScore();
            }
        }
        return null;
    }

    private static String className(String benchmark) {
        String withoutMethod = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return withoutMethod.substring(withoutMethod.lastIndexOf('.') + 1);
    }

    private static String shortName(String benchmark) {
        return className(benchmark) + "." + benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    private static String paramsOf(BenchmarkParams params) {
        StringJoiner joined = new StringJoiner(", ");
        for (String key : params.getParamsKeys()) {
            joined.add(key + "=" + params.getParam(key));
        }
        return joined.toString();
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return Math.abs(value) >= 100
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.3f", value);
    }
}
