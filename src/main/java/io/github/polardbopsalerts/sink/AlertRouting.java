package io.github.polardbopsalerts.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which sinks an alert is for. Every enabled sink takes every alert, unless the operator narrowed a mail or
 * webhook sink to some regions, clusters, change levels or kinds (sink.webhook.dba.clusters=orders-*), so
 * that each team's room gets its own clusters. Decided when the alert is recorded.
 */
public final class AlertRouting {

    private final Map<String, Filter> sinks;

    public AlertRouting(Map<String, Filter> sinks) {
        this.sinks = new LinkedHashMap<>(sinks);
    }

    public static AlertRouting from(Settings settings) {
        Map<String, Filter> out = new LinkedHashMap<>();
        for (String sink : settings.enabledSinks()) {
            String prefix = prefix(sink);
            out.put(sink, prefix == null ? Filter.NONE
                    : Filter.of(settings.getOrDefault(prefix + "regions", ""),
                            settings.getOrDefault(prefix + "clusters", ""),
                            settings.getOrDefault(prefix + "change-levels", ""),
                            settings.getOrDefault(prefix + "kinds", "")));
        }
        return new AlertRouting(out);
    }

    /** Where a sink's filter keys live: sink.mail., sink.webhook., sink.webhook.NAME.; none for the file sink. */
    static String prefix(String sink) {
        return "mail".equals(sink) || "webhook".equals(sink) || sink.startsWith("webhook.") ? "sink." + sink + "."
                : null;
    }

    /**
     * The sinks for an alert: those whose filter takes it, and those that hold an earlier alert about the same
     * task ({@code holding}: a room that had the page hears how it ends), less any sink that leaves out the
     * alert's kind.
     */
    public List<String> sinksFor(ObjectNode alert, java.util.Collection<String> holding) {
        String kind = alert.path("kind").asText();
        List<String> out = new ArrayList<>(sinks.size());
        sinks.forEach((sink, filter) -> {
            if (filter.takesKind(kind) && (filter.matches(alert) || holding.contains(sink))) {
                out.add(sink);
            }
        });
        return out;
    }

    /** Whether any sink leaves some alerts out; if none does, where earlier alerts went never matters. */
    public boolean filtered() {
        return sinks.values().stream().anyMatch(f -> !f.isEverything());
    }

    /**
     * Empty sets match everything. {@code clusters} holds patterns matched against the DBClusterId and the
     * cluster's description (InsComment), {@code *} standing for any run of characters.
     */
    public record Filter(Set<String> regions, List<Pattern> clusters, Set<String> changeLevels, Set<String> kinds) {

        static final Filter NONE = new Filter(Set.of(), List.of(), Set.of(), Set.of());

        public static Filter of(String regions, String clusters, String changeLevels, String kinds) {
            return new Filter(Set.copyOf(Settings.list(regions)),
                    Settings.list(clusters).stream().map(Filter::glob).toList(),
                    Set.copyOf(Settings.list(changeLevels)), Set.copyOf(Settings.list(kinds)));
        }

        /** Whether the sink takes alerts of this kind (empty kinds: every kind; "test" always). */
        public boolean takesKind(String kind) {
            return kinds.isEmpty() || "test".equals(kind) || kinds.contains(kind);
        }

        static Pattern glob(String pattern) {
            StringBuilder re = new StringBuilder();
            for (String part : pattern.split("\\*", -1)) {
                if (!re.isEmpty()) {
                    re.append(".*");
                }
                re.append(Pattern.quote(part));
            }
            return Pattern.compile(re.toString());
        }

        public boolean isEverything() {
            return regions.isEmpty() && clusters.isEmpty() && changeLevels.isEmpty() && kinds.isEmpty();
        }

        public boolean matches(ObjectNode alert) {
            if (!takesKind(alert.path("kind").asText())) {
                return false;
            }
            if (!regions.isEmpty() && !regions.contains(alert.path("region").asText())) {
                return false;
            }
            ObjectNode task = alert.path("task") instanceof ObjectNode t ? t : alert.objectNode();
            if (!changeLevels.isEmpty() && !changeLevels.contains(task.path("ChangeLevel").asText())) {
                return false;
            }
            if (clusters.isEmpty()) {
                return true;
            }
            String id = alert.path("dbClusterId").asText();
            String description = task.path("InsComment").asText();
            return clusters.stream().anyMatch(p -> p.matcher(id).matches()
                    || !description.isEmpty() && p.matcher(description).matches());
        }
    }
}
