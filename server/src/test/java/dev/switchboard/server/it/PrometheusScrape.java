package dev.switchboard.server.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;

/** One {@code /metrics} answer, parsed by Hawkular's Prometheus text-format parser: the families by name. */
final class PrometheusScrape {
    private final Map<String, MetricFamily> families;

    private PrometheusScrape(Map<String, MetricFamily> families) {
        this.families = families;
    }

    static PrometheusScrape parse(String text) {
        Map<String, MetricFamily> families = new HashMap<>();
        try {
            TextPrometheusMetricDataParser parser = new TextPrometheusMetricDataParser(
                    new ByteArrayInputStream(text.getBytes(UTF_8)));
            for (MetricFamily family = parser.parse(); family != null; family = parser.parse()) {
                if (families.put(family.getName(), family) != null) {
                    throw new IllegalStateException("family " + family.getName() + " appears twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PrometheusScrape(families);
    }

    Optional<MetricFamily> family(String name) {
        return Optional.ofNullable(families.get(name));
    }

    MetricType type(String name) {
        return require(name).getType();
    }

    /** Every label value of every metric. */
    List<String> labelValues() {
        List<String> values = new ArrayList<>();
        families.values().forEach(family -> family.getMetrics().forEach(metric ->
                values.addAll(metric.getLabels().values())));
        return values;
    }

    /** A counter's or gauge's value; 0 when the family or the series is absent. */
    double value(String name, String... labels) {
        return family(name).flatMap(family -> find(family, labels)).map(metric -> {
            if (metric instanceof Counter counter) {
                return counter.getValue();
            }
            if (metric instanceof Gauge gauge) {
                return gauge.getValue();
            }
            throw new IllegalStateException(name + " is neither a counter nor a gauge: " + metric.getClass());
        }).orElse(0.0);
    }

    /** A histogram series, when present. */
    Optional<Histogram> histogram(String name, String... labels) {
        return family(name).flatMap(family -> find(family, labels)).map(metric -> (Histogram) metric);
    }

    /** A histogram's count; 0 when absent. */
    long count(String name, String... labels) {
        return histogram(name, labels).map(Histogram::getSampleCount).orElse(0L);
    }

    private MetricFamily require(String name) {
        return family(name).orElseThrow(() -> new AssertionError("no metric family " + name + " in the scrape; it has "
                + families.keySet()));
    }

    private static Optional<Metric> find(MetricFamily family, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<Metric> matches = family.getMetrics().stream().filter(metric -> metric.getLabels().equals(wanted))
                .toList();
        if (matches.size() > 1) {
            throw new IllegalStateException(family.getName() + " has " + matches.size() + " series " + wanted);
        }
        return matches.stream().findFirst();
    }
}
