package io.memkit.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A small text table that a scenario attaches to its result (e.g. the top allocation sites, a
 * heap-growth diff): printed in the terminal, shown in {@code index.html} and written to
 * {@code report.json} under the scenario's {@code tables}. Cells are text, formatted by the
 * scenario; cells that read as numbers are aligned right on the page.
 *
 * <p>For scenario authors:
 * <pre>{@code
 * DataTable sites = DataTable.builder("Top allocation sites (memkit Slice)", "site", "bytes", "share")
 *         .row("Slice.slice", "24,000", "100%")
 *         .build();
 * context.attach(sites);                 // from a variant or a scenario
 * // or, in a custom run(): return result.withTable(sites);
 * }</pre>
 *
 * @param title   the caption
 * @param columns the column headings, at least one
 * @param rows    the rows, each with one cell per column
 */
public record DataTable(String title, List<String> columns, List<List<String>> rows) {

    /**
     * Checks the shape and copies the lists.
     *
     * @throws IllegalArgumentException if there is no column, the title is blank or a row has the
     *                                  wrong number of cells
     * @throws NullPointerException     if an argument or a cell is {@code null}
     */
    public DataTable {
        if (Objects.requireNonNull(title, "title must not be null").isBlank()) {
            throw new IllegalArgumentException("title must not be blank");
        }
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table '" + title + "' has no columns");
        }
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("table '" + title + "': a row has " + row.size() + " cells for "
                        + columns.size() + " columns: " + row);
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    /**
     * A builder for a table with these columns.
     *
     * @param title   the caption
     * @param columns the column headings
     * @return an empty builder
     */
    public static Builder builder(String title, String... columns) {
        return new Builder(title, List.of(columns));
    }

    /** Collects rows; not thread-safe. */
    public static final class Builder {
        private final String title;
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();

        private Builder(String title, List<String> columns) {
            this.title = title;
            this.columns = columns;
        }

        /**
         * Adds a row; each cell becomes {@code String.valueOf(cell)}.
         *
         * @param cells one per column
         * @return this builder
         * @throws IllegalArgumentException if the number of cells differs from the number of columns
         */
        public Builder row(Object... cells) {
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException("table '" + title + "': " + cells.length + " cells for "
                        + columns.size() + " columns: " + Arrays.toString(cells));
            }
            List<String> row = new ArrayList<>(cells.length);
            for (Object cell : cells) {
                row.add(String.valueOf(cell));
            }
            rows.add(row);
            return this;
        }

        /**
         * The table of the rows added so far.
         *
         * @return the table
         */
        public DataTable build() {
            return new DataTable(title, columns, rows);
        }
    }
}
