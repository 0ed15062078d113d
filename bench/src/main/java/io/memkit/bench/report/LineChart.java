package io.memkit.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A line chart that a scenario attaches to its result: a time series (x = time or step,
 * y = bytes or a count) with one or more named series, drawn as SVG in {@code index.html},
 * summarised in the terminal and written to {@code report.json} under the scenario's
 * {@code lineCharts}.
 *
 * <p>For scenario authors. Declare the chart once, without series, then let each variant add
 * its own series from {@link Variant#afterBatches(ScenarioContext)} (or from a custom
 * {@link Scenario#run(ScenarioContext)}); series added under the same chart id end up in one chart:
 * <pre>{@code
 * static final LineChart HELD = LineChart.of("held", "Direct memory held after a burst",
 *         "time after the burst", "ms", "direct memory held", LineChart.BYTES);
 *
 * public Map<String, Double> afterBatches(ScenarioContext context) {
 *     LineChart.Series.Builder line = LineChart.Series.builder(name(), role());
 *     for (...) { line.add(elapsedMillis, heldBytes); }
 *     context.addSeries(HELD, line.build());
 *     return Map.of();
 * }
 * }</pre>
 * A custom {@code run} can also attach a finished chart with {@link ScenarioContext#attach(LineChart)}
 * or {@link ScenarioResult#withLineChart(LineChart)}. Series take their colour from their role
 * (memkit green, peers blue, naive grey; further series of one role get other shades and dashes).
 * Immutable.
 */
public final class LineChart {
    /** The {@link #yUnit()} that makes the axis and values read as bytes (KiB, MiB). */
    public static final String BYTES = "B";

    private final String id;
    private final String title;
    private final String xLabel;
    private final String xUnit;
    private final String yLabel;
    private final String yUnit;
    private final List<Series> series;

    private LineChart(String id, String title, String xLabel, String xUnit, String yLabel, String yUnit,
                      List<Series> series) {
        this.id = requireText(id, "id");
        this.title = requireText(title, "title");
        this.xLabel = requireText(xLabel, "xLabel");
        this.xUnit = Objects.requireNonNull(xUnit, "xUnit must not be null");
        this.yLabel = requireText(yLabel, "yLabel");
        this.yUnit = Objects.requireNonNull(yUnit, "yUnit must not be null");
        this.series = List.copyOf(series);
        for (int i = 0; i < this.series.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (this.series.get(i).name().equals(this.series.get(j).name())) {
                    throw new IllegalArgumentException("chart '" + id + "' has two series named '"
                            + this.series.get(i).name() + "'");
                }
            }
        }
    }

    /**
     * A chart without series yet; add them with {@link #withSeries(Series)} or
     * {@link ScenarioContext#addSeries(LineChart, Series)}.
     *
     * @param id     unique within the scenario, lower case with dashes, e.g. {@code "held"}
     * @param title  the chart's caption
     * @param xLabel what x is, e.g. {@code "time after the burst"} or {@code "step"}
     * @param xUnit  the unit after x values, e.g. {@code "ms"}, or empty
     * @param yLabel what y is, e.g. {@code "interner entries"}
     * @param yUnit  {@link #BYTES}, or the unit after y values (e.g. {@code "entries"}), or empty
     * @return the chart
     * @throws IllegalArgumentException if {@code id} is not lower case with dashes, or a text is blank
     * @throws NullPointerException     if an argument is {@code null}
     */
    public static LineChart of(String id, String title, String xLabel, String xUnit, String yLabel, String yUnit) {
        if (!Objects.requireNonNull(id, "id must not be null").matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("chart id must be lower case with dashes: '" + id + "'");
        }
        return new LineChart(id, title, xLabel, xUnit, yLabel, yUnit, List.of());
    }

    /**
     * The same chart with one more series at the end.
     *
     * @param line the series
     * @return a new chart
     * @throws IllegalArgumentException if a series of that name is already there
     */
    public LineChart withSeries(Series line) {
        List<Series> more = new ArrayList<>(series);
        more.add(Objects.requireNonNull(line, "series must not be null"));
        return new LineChart(id, title, xLabel, xUnit, yLabel, yUnit, more);
    }

    /**
     * Tells whether {@code other} is the same chart apart from its series (same id, texts and units).
     *
     * @param other another chart
     * @return {@code true} if only the series may differ
     */
    boolean sameAxes(LineChart other) {
        return id.equals(other.id) && title.equals(other.title) && xLabel.equals(other.xLabel)
                && xUnit.equals(other.xUnit) && yLabel.equals(other.yLabel) && yUnit.equals(other.yUnit);
    }

    /** @return the id, unique within the scenario */
    public String id() {
        return id;
    }

    /** @return the caption */
    public String title() {
        return title;
    }

    /** @return what x is */
    public String xLabel() {
        return xLabel;
    }

    /** @return the unit of x, or empty */
    public String xUnit() {
        return xUnit;
    }

    /** @return what y is */
    public String yLabel() {
        return yLabel;
    }

    /** @return {@link #BYTES}, another unit of y, or empty */
    public String yUnit() {
        return yUnit;
    }

    /** @return the series, in the order they were added */
    public List<Series> series() {
        return series;
    }

    private static String requireText(String s, String what) {
        if (Objects.requireNonNull(s, what + " must not be null").isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
    }

    /**
     * One named line: points {@code (x[i], y[i])}, drawn in the order given (x need not grow,
     * though a time series' does). Immutable.
     */
    public static final class Series {
        private final String name;
        private final Role role;
        private final double[] x;
        private final double[] y;

        private Series(String name, Role role, double[] x, double[] y) {
            this.name = requireText(name, "series name");
            this.role = Objects.requireNonNull(role, "role must not be null");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but "
                        + y.length + " y values");
            }
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                    throw new IllegalArgumentException("series '" + name + "' point " + i + " is not finite: ("
                            + x[i] + ", " + y[i] + ")");
                }
            }
            this.x = x;
            this.y = y;
        }

        /**
         * A series from its points.
         *
         * @param name shown in the legend, e.g. the variant's name
         * @param role picks the colour, e.g. the variant's role
         * @param x    the x values (copied)
         * @param y    the y values (copied), as many as x
         * @return the series
         * @throws IllegalArgumentException if the lengths differ or a value is NaN or infinite
         */
        public static Series of(String name, Role role, double[] x, double[] y) {
            return new Series(name, role, x.clone(), y.clone());
        }

        /**
         * A builder that collects points one at a time, e.g. while sampling over time.
         *
         * @param name shown in the legend
         * @param role picks the colour
         * @return an empty builder
         */
        public static Builder builder(String name, Role role) {
            return new Builder(name, role);
        }

        /** @return the name shown in the legend */
        public String name() {
            return name;
        }

        /** @return the role that picks the colour */
        public Role role() {
            return role;
        }

        /** @return the number of points */
        public int size() {
            return x.length;
        }

        /**
         * The x value of a point.
         *
         * @param i the point's index
         * @return its x
         */
        public double x(int i) {
            return x[i];
        }

        /**
         * The y value of a point.
         *
         * @param i the point's index
         * @return its y
         */
        public double y(int i) {
            return y[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Series && ((Series) o).name.equals(name) && ((Series) o).role == role
                    && Arrays.equals(((Series) o).x, x) && Arrays.equals(((Series) o).y, y);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, role, Arrays.hashCode(x), Arrays.hashCode(y));
        }

        /** Collects the points of one series; not thread-safe. */
        public static final class Builder {
            private final String name;
            private final Role role;
            private double[] x = new double[16];
            private double[] y = new double[16];
            private int size;

            private Builder(String name, Role role) {
                this.name = name;
                this.role = role;
            }

            /**
             * Adds a point at the end.
             *
             * @param xValue its x, e.g. milliseconds since the start
             * @param yValue its y, e.g. bytes held
             * @return this builder
             */
            public Builder add(double xValue, double yValue) {
                if (size == x.length) {
                    x = Arrays.copyOf(x, size * 2);
                    y = Arrays.copyOf(y, size * 2);
                }
                x[size] = xValue;
                y[size] = yValue;
                size++;
                return this;
            }

            /**
             * The series of the points added so far.
             *
             * @return the series
             * @throws IllegalArgumentException if a point is NaN or infinite
             */
            public Series build() {
                return new Series(name, role, Arrays.copyOf(x, size), Arrays.copyOf(y, size));
            }
        }
    }
}
