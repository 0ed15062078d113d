package io.memkit.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one scenario: one result per variant, plus what the figures mean.
 *
 * @param id          the scenario's id, as given to {@code --scenario}
 * @param title       a short heading
 * @param description what the scenario does and what one unit is
 * @param unit        what one "op" is, e.g. {@code "record"}, {@code "chunk"}, {@code "element"}
 * @param bytesLabel  what the byte figure means, e.g. {@code "heap bytes allocated"} or
 *                    {@code "heap bytes retained after GC"}
 * @param variants    one result per variant, in the order they ran
 * @param notes       free text the scenario prints (e.g. memkit's leak reports); empty if none
 * @param error       why the whole scenario failed, or {@code null}
 * @param seconds     wall-clock seconds the scenario took
 * @param charted     keys of {@link VariantResult#extras()} that the HTML page charts too, e.g. the
 *                    {@code System.gc()} collections of the direct-churn scenario
 * @param lineCharts  time-series charts the scenario attached (see {@link LineChart}); empty if none
 * @param tables      text tables the scenario attached (see {@link DataTable}); empty if none
 */
public record ScenarioResult(String id, String title, String description, String unit, String bytesLabel,
                            List<VariantResult> variants, String notes, String error, double seconds,
                            List<String> charted, List<LineChart> lineCharts, List<DataTable> tables) {

    /**
     * A result without line charts or tables.
     *
     * @param id          the scenario's id
     * @param title       a short heading
     * @param description what the scenario does
     * @param unit        what one unit is
     * @param bytesLabel  what the byte figure means
     * @param variants    one result per variant
     * @param notes       free text, or empty
     * @param error       why the whole scenario failed, or {@code null}
     * @param seconds     wall-clock seconds
     * @param charted     keys of the variants' extras to chart as bars too
     */
    public ScenarioResult(String id, String title, String description, String unit, String bytesLabel,
                          List<VariantResult> variants, String notes, String error, double seconds,
                          List<String> charted) {
        this(id, title, description, unit, bytesLabel, variants, notes, error, seconds, charted, List.of(), List.of());
    }

    /**
     * A result whose page shows only the bytes and time charts.
     *
     * @param id          the scenario's id
     * @param title       a short heading
     * @param description what the scenario does
     * @param unit        what one unit is
     * @param bytesLabel  what the byte figure means
     * @param variants    one result per variant
     * @param notes       free text, or empty
     * @param error       why the whole scenario failed, or {@code null}
     * @param seconds     wall-clock seconds
     */
    public ScenarioResult(String id, String title, String description, String unit, String bytesLabel,
                          List<VariantResult> variants, String notes, String error, double seconds) {
        this(id, title, description, unit, bytesLabel, variants, notes, error, seconds, List.of(), List.of(), List.of());
    }

    /**
     * Checks for nulls and copies the lists.
     *
     * @throws NullPointerException     if any argument but {@code error} is {@code null}
     * @throws IllegalArgumentException if two line charts share an id
     */
    public ScenarioResult {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(title, "title must not be null");
        Objects.requireNonNull(description, "description must not be null");
        Objects.requireNonNull(unit, "unit must not be null");
        Objects.requireNonNull(bytesLabel, "bytesLabel must not be null");
        variants = List.copyOf(variants);
        Objects.requireNonNull(notes, "notes must not be null");
        charted = List.copyOf(charted);
        lineCharts = List.copyOf(lineCharts);
        for (int i = 0; i < lineCharts.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (lineCharts.get(i).id().equals(lineCharts.get(j).id())) {
                    throw new IllegalArgumentException("scenario '" + id + "' has two line charts with id '"
                            + lineCharts.get(i).id() + "'");
                }
            }
        }
        tables = List.copyOf(tables);
    }

    /**
     * The same result with one more line chart at the end, for a scenario that implements
     * {@link Scenario#run(ScenarioContext)} itself.
     *
     * @param chart the chart
     * @return a new result
     * @throws IllegalArgumentException if a chart with that id is already there
     */
    public ScenarioResult withLineChart(LineChart chart) {
        return withAttachments(List.of(chart), List.of());
    }

    /**
     * The same result with one more table at the end.
     *
     * @param table the table
     * @return a new result
     */
    public ScenarioResult withTable(DataTable table) {
        return withAttachments(List.of(), List.of(table));
    }

    /**
     * The same result with more line charts and tables at the end.
     *
     * @param moreCharts charts to add
     * @param moreTables tables to add
     * @return a new result (this one if both lists are empty)
     * @throws IllegalArgumentException if a chart's id is already there
     */
    public ScenarioResult withAttachments(List<LineChart> moreCharts, List<DataTable> moreTables) {
        if (moreCharts.isEmpty() && moreTables.isEmpty()) {
            return this;
        }
        List<LineChart> charts = new ArrayList<>(lineCharts);
        charts.addAll(moreCharts);
        List<DataTable> allTables = new ArrayList<>(tables);
        allTables.addAll(moreTables);
        return new ScenarioResult(id, title, description, unit, bytesLabel, variants, notes, error, seconds, charted,
                charts, allTables);
    }

    /**
     * The naive variant's result, if it ran.
     *
     * @return the first {@link Role#NAIVE} result without an error, or {@code null}
     */
    public VariantResult naive() {
        for (VariantResult v : variants) {
            if (v.role() == Role.NAIVE && v.ok()) {
                return v;
            }
        }
        return null;
    }

    /**
     * The share of the naive variant's bytes that {@code v} does without: 1 - bytes(v) / bytes(naive).
     *
     * @param v a result of this scenario
     * @return the saving as a fraction (0.9 means 90% fewer bytes; negative means more), or
     *         {@code NaN} where there is no naive figure, it is 0, or {@code v} has none
     */
    public double savedVsNaive(VariantResult v) {
        VariantResult naive = naive();
        if (naive == null || !v.ok() || !(naive.bytesPerOp() > 0) || Double.isNaN(v.bytesPerOp())) {
            return Double.NaN;
        }
        return 1.0 - v.bytesPerOp() / naive.bytesPerOp();
    }
}
