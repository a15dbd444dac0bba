package io.github.polardbopsalerts.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The effective configuration: built-in defaults, ./application.properties, --config FILE, environment
 * variables, JVM system properties, later wins; remembers where each value came from and validates all
 * keys at once.
 */
public final class Settings {

    public static final String DEFAULTS_RESOURCE = "/polardb-ops-alerts/application.properties";

    static final Set<String> TASK_TYPES = Set.of("all", "DatabaseSoftwareUpgrading", "DatabaseHardwareMaintenance",
            "DatabaseStorageUpgrading", "DatabaseProxyUpgrading");
    static final Set<String> DB_TYPES = Set.of("", "MySQL", "PostgreSQL", "Oracle");
    static final Set<String> CHANGE_LEVELS = Set.of("all", "S0", "S1");
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    static final List<String> WEBHOOK_FIELDS = List.of("url", "format", "secret", "mention", "regions", "clusters",
            "change-levels", "kinds");
    /** Whom a chat message can mention, per format, in the form each vendor documents. */
    private static final Map<String, Pattern> MENTIONS = Map.of(
            "dingtalk", Pattern.compile("all|\\+?[0-9][0-9-]{4,19}"),
            "feishu", Pattern.compile("all|[A-Za-z0-9_-]{1,64}"),
            "wecom", Pattern.compile("[A-Za-z0-9_.@-]{1,64}"),
            "slack", Pattern.compile("here|channel|[UW][A-Z0-9]{2,20}"));
    static final Set<String> WEBHOOK_FORMATS = Set.of("generic", "dingtalk", "feishu", "wecom", "slack", "teams");
    private static final Pattern WEBHOOK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern SECRET_KEY = Pattern.compile(".*(password|secret|token|credential).*");

    private final Map<String, String> values;
    private final Map<String, String> sources;
    /** The keys the built-in defaults name: any other key a file sets is a mistake, except camel.* ones. */
    private final Set<String> known;

    private Settings(Map<String, String> values, Map<String, String> sources, Set<String> known) {
        this.values = values;
        this.sources = sources;
        this.known = known;
    }

    /** Reads every layer; a layer that cannot be read is a configuration error naming it. */
    public static Settings load(Path workingDir, Path configFile, Map<String, String> env, Properties system) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();
        try (InputStream in = Settings.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in defaults " + DEFAULTS_RESOURCE + " missing from the jar");
            }
            merge(values, sources, read(in), "default");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in defaults", e);
        }
        Set<String> known = Set.copyOf(values.keySet());
        Path local = workingDir.resolve("application.properties");
        if (Files.isRegularFile(local)) {
            merge(values, sources, readFile(local, "./application.properties"), "./application.properties");
        }
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigException("--config " + configFile + ": no such file");
            }
            merge(values, sources, readFile(configFile, "--config " + configFile), configFile.toString());
        }
        for (String key : List.copyOf(values.keySet())) {
            String var = envName(key);
            if (env.containsKey(var)) {
                values.put(key, env.get(var).trim());
                sources.put(key, "env " + var);
            }
        }
        // Named webhooks have keys no default lists; the environment and -D may still set them.
        for (String name : list(values.getOrDefault("sink.webhook.names", ""))) {
            for (String field : WEBHOOK_FIELDS) {
                String key = "sink.webhook." + name + "." + field;
                String var = envName(key);
                if (env.containsKey(var)) {
                    values.put(key, env.get(var).trim());
                    sources.put(key, "env " + var);
                }
                values.putIfAbsent(key, "format".equals(field) ? "generic" : "");
            }
        }
        for (String key : List.copyOf(values.keySet())) {
            String v = system.getProperty(key);
            if (v != null) {
                values.put(key, v.trim());
                sources.put(key, "-D" + key);
            }
        }
        return new Settings(values, sources, known);
    }

    /** Settings from a plain map on top of the built-in defaults; for tests and embedding. */
    public static Settings of(Map<String, String> overrides) {
        Settings base = load(Path.of("/nonexistent-working-dir"), null, Map.of(), new Properties());
        Settings s = base;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            s = s.with(e.getKey(), e.getValue(), "code");
        }
        return s;
    }

    /** A copy with one value replaced, e.g. the simulator's endpoint in --demo. */
    public Settings with(String key, String value, String source) {
        Map<String, String> v = new TreeMap<>(values);
        Map<String, String> s = new TreeMap<>(sources);
        v.put(key, value);
        s.put(key, source);
        return new Settings(v, s, known);
    }

    /** The environment variable that overrides a key: upper case, '.' and '-' as '_'. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new ConfigException(key + ": missing");
        }
        return v;
    }

    /** A key that may be absent, such as a named webhook's optional fields; {@code dflt} then. */
    public String getOrDefault(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    public String source(String key) {
        return sources.getOrDefault(key, "default");
    }

    public Map<String, String> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** Every problem with the configuration, each naming its key and environment variable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        check(p, "polardb.endpoint", v -> {
            URI uri = new URI(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + v + "' is not an http(s) URL with a host");
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
                throw new IllegalArgumentException("'" + v + "' has a path; RPC-style APIs are served at /");
            }
        });
        check(p, "polardb.regions", v -> {
            List<String> regions = regions();
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("names no region");
            }
            regionIds(v);
            if (regions.contains("all") && regions.size() > 1) {
                throw new IllegalArgumentException("'all' cannot be combined with other regions");
            }
        });
        check(p, "polardb.page-size", v -> oneOf(v, Set.of("30", "50", "100")));
        check(p, "polardb.task-type", v -> oneOf(v, TASK_TYPES));
        if (regions().contains("all") && !"all".equals(values.get("polardb.task-type"))) {
            p.add(describe("polardb.task-type") + ": must be all when polardb.regions is all (the API accepts"
                    + " RegionId all only with TaskType all)");
        }
        check(p, "polardb.db-type", v -> oneOf(v, DB_TYPES));
        check(p, "polardb.status", v -> oneOf(v, Set.of("-1", "0", "1", "2", "3", "4", "5", "6", "7")));
        check(p, "polardb.change-level", v -> oneOf(v, CHANGE_LEVELS));
        check(p, "polardb.allow-cancel", v -> oneOf(v, Set.of("-1", "0", "1")));
        check(p, "polardb.allow-change", v -> oneOf(v, Set.of("-1", "0", "1")));
        check(p, "polardb.db-cluster-id", v -> {
            if (!v.isEmpty() && !v.matches("[A-Za-z0-9-_]{1,64}")) {
                throw new IllegalArgumentException("'" + v + "' is not a DBClusterId such as pc-xxxxxxxx");
            }
        });
        check(p, "polardb.max-concurrency", v -> intBetween(v, 1, 64));
        check(p, "polardb.timeout", v -> positive(Durations.parse(v)));
        check(p, "polardb.retry.max-attempts", v -> intBetween(v, 1, 20));
        check(p, "polardb.retry.initial-delay", Durations::parse);
        check(p, "polardb.retry.max-delay", Durations::parse);
        check(p, "poll.interval", v -> positive(Durations.parse(v)));
        check(p, "alert.deadline-window", Durations::parse);
        check(p, "alert.change-levels", Settings::changeLevels);
        check(p, "alert.language", v -> oneOf(v, Set.of("en", "zh")));
        check(p, "alert.non-cancelable", Settings::bool);
        check(p, "alert.statuses", v -> {
            if (list(v).isEmpty()) {
                throw new IllegalArgumentException("names no status");
            }
            for (String s : list(v)) {
                intBetween(s, 0, 7);
            }
        });
        check(p, "alert.reminders", v -> {
            for (String stage : list(v)) {
                positive(Durations.parse(stage));
            }
        });
        check(p, "sink.retry.max-attempts", v -> intBetween(v, 1, 20));
        check(p, "sink.retry.initial-delay", Durations::parse);
        check(p, "sink.retry.max-delay", Durations::parse);
        check(p, "alert.time-zone", java.time.ZoneId::of);
        check(p, "alert.console-url", v -> {
            if (!v.isEmpty()) {
                URI uri = new URI(v.replace("{region}", "r").replace("{dbClusterId}", "c"));
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("'" + v + "' is not an http(s) URL");
                }
            }
        });
        checkMail(p);
        checkWebhooks(p);
        check(p, "sink.file.enabled", Settings::bool);
        check(p, "sink.file.dir", Settings::notBlank);
        check(p, "state.dir", Settings::notBlank);
        check(p, "state.retention-days", v -> intBetween(v, 1, 3650));
        check(p, "demo.tasks-per-region", v -> intBetween(v, 1, 1_000_000));
        check(p, "logging.format", v -> oneOf(v, Set.of("text", "json")));
        check(p, "archive.enabled", Settings::bool);
        check(p, "archive.cron", v -> {
            try {
                new org.quartz.CronExpression(v);
            } catch (java.text.ParseException e) {
                throw new IllegalArgumentException("'" + v + "' is not a Quartz cron expression such as"
                        + " 0 0 2 * * ? (" + e.getMessage() + ")");
            }
        });
        check(p, "archive.time-zone", v -> {
            if (!v.isEmpty()) {
                java.time.ZoneId.of(v);
            }
        });
        check(p, "archive.dir", Settings::notBlank);
        check(p, "archive.retention-days", v -> intBetween(v, 1, 36500));
        check(p, "camel.management.port", v -> intBetween(v, 0, 65535));
        unknownKeys(p);
        return p;
    }

    /**
     * Keys a file sets that nothing reads: a misspelt sink.mail.enabled would otherwise leave mail off without
     * a word. Camel's own camel.* keys pass through to Camel; a named webhook's keys need its name listed.
     */
    private void unknownKeys(List<String> p) {
        List<String> names = list(values.getOrDefault("sink.webhook.names", ""));
        for (String key : values.keySet()) {
            if (known.contains(key) || key.startsWith("camel.")) {
                continue;
            }
            String[] parts = key.split("\\.");
            if (parts.length == 4 && key.startsWith("sink.webhook.") && WEBHOOK_FIELDS.contains(parts[3])) {
                if (!names.contains(parts[2])) {
                    p.add(key + " (from " + source(key) + "): webhook '" + parts[2] + "' is not listed in"
                            + " sink.webhook.names, so this key would be ignored");
                }
                continue;
            }
            String nearest = known.stream().min(java.util.Comparator.comparingInt(k -> editDistance(k, key)))
                    .filter(k -> editDistance(k, key) <= 3).orElse(null);
            p.add(key + " (from " + source(key) + "): not a known key, it would be ignored"
                    + (nearest == null ? "" : "; did you mean " + nearest + "?"));
        }
    }

    /** Levenshtein distance: single-character insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private void checkMail(List<String> p) {
        check(p, "sink.mail.enabled", Settings::bool);
        check(p, "sink.mail.security", v -> oneOf(v, Set.of("starttls", "ssl", "none")));
        check(p, "sink.mail.templates-dir", v -> {
            if (!v.isEmpty() && !Files.isDirectory(Path.of(v))) {
                throw new IllegalArgumentException("'" + v + "' is not a directory");
            }
        });
        check(p, "sink.mail.trust-store", v -> {
            if (!v.isEmpty() && !Files.isRegularFile(Path.of(v))) {
                throw new IllegalArgumentException("'" + v + "' is not a file");
            }
        });
        check(p, "sink.mail.timeout", v -> positive(Durations.parse(v)));
        if (!"true".equals(values.get("sink.mail.enabled"))) {
            return;
        }
        check(p, "sink.mail.host", Settings::notBlank);
        check(p, "sink.mail.port", v -> intBetween(v, 1, 65535));
        check(p, "sink.mail.from", v -> mailAddresses(v, 1));
        check(p, "sink.mail.to", v -> mailAddresses(v, 100));
        checkFilter(p, "sink.mail.");
        if (!get("sink.mail.password").isEmpty() && get("sink.mail.username").isEmpty()) {
            p.add(describe("sink.mail.username") + ": is empty but sink.mail.password is set");
        }
    }

    private void checkWebhooks(List<String> p) {
        check(p, "sink.webhook.enabled", Settings::bool);
        check(p, "sink.webhook.timeout", v -> positive(Durations.parse(v)));
        check(p, "sink.webhook.names", v -> {
            for (String name : list(v)) {
                if (!WEBHOOK_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("'" + name + "' is not a name of lower-case letters, digits"
                            + " and '-'");
                }
            }
        });
        if (!"true".equals(values.get("sink.webhook.enabled"))) {
            return;
        }
        if (values.getOrDefault("sink.webhook.url", "").isEmpty() && list(values.getOrDefault("sink.webhook.names", "")).isEmpty()) {
            p.add(describe("sink.webhook.url") + ": is empty, and sink.webhook.names names no webhook either");
        }
        if (!values.getOrDefault("sink.webhook.url", "").isEmpty()) {
            checkWebhook(p, "sink.webhook.");
        }
        for (String name : list(values.getOrDefault("sink.webhook.names", ""))) {
            checkWebhook(p, "sink.webhook." + name + ".");
        }
    }

    private static void changeLevels(String v) {
        for (String level : list(v)) {
            if (!level.matches("S[0-9]")) {
                throw new IllegalArgumentException("'" + level + "' is not a ChangeLevel such as S0 or S1");
            }
        }
    }

    private static void regionIds(String v) {
        for (String r : list(v)) {
            if (!REGION.matcher(r).matches()) {
                throw new IllegalArgumentException("'" + r + "' is not a RegionId such as cn-hangzhou");
            }
        }
    }

    /** A mail or webhook sink's own filter: which regions, change levels and kinds it takes (clusters: any text). */
    private void checkFilter(List<String> p, String prefix) {
        check(p, prefix + "regions", values.getOrDefault(prefix + "regions", ""), Settings::regionIds);
        check(p, prefix + "change-levels", values.getOrDefault(prefix + "change-levels", ""), Settings::changeLevels);
        check(p, prefix + "kinds", values.getOrDefault(prefix + "kinds", ""), v -> {
            for (String kind : list(v)) {
                oneOf(kind, Set.of("urgent", "reminder", "changed", "resolved"));
            }
        });
    }

    private void checkWebhook(List<String> p, String prefix) {
        checkFilter(p, prefix);
        String mentionFormat = values.getOrDefault(prefix + "format", "generic");
        check(p, prefix + "mention", values.getOrDefault(prefix + "mention", ""), v -> {
            if (list(v).isEmpty()) {
                return;
            }
            Pattern allowed = MENTIONS.get(mentionFormat);
            if (allowed == null) {
                throw new IllegalArgumentException(mentionFormat + " webhooks cannot mention anyone; mention works"
                        + " for dingtalk (mobile numbers, all), feishu (user ids, all), wecom (user ids) and slack"
                        + " (member ids, here, channel)");
            }
            for (String who : list(v)) {
                if (!allowed.matcher(who).matches()) {
                    throw new IllegalArgumentException("'" + who + "' is not someone a " + mentionFormat
                            + " message can mention");
                }
            }
        });
        check(p, prefix + "url", v -> {
            URI uri = new URI(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + Urls.redact(v) + "' is not an http(s) URL with a host");
            }
        });
        // A named webhook's format and secret may be left out: generic, unsigned.
        String format = values.getOrDefault(prefix + "format", "generic");
        check(p, prefix + "format", format, v -> oneOf(v, WEBHOOK_FORMATS));
        check(p, prefix + "secret", values.getOrDefault(prefix + "secret", ""), v -> {
            if (v.isEmpty()) {
                return;
            }
            switch (format) {
                case "generic" -> {
                    if (!v.startsWith("whsec_")) {
                        throw new IllegalArgumentException("a generic webhook secret is whsec_ and Base64 (Standard Webhooks)");
                    }
                    try {
                        java.util.Base64.getDecoder().decode(v.substring("whsec_".length()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("the part after whsec_ is not Base64");
                    }
                }
                case "dingtalk", "feishu" -> {
                }
                default -> throw new IllegalArgumentException(format + " webhooks are not signed; the URL is the"
                        + " credential, leave the secret empty");
            }
        });
    }

    private static void mailAddresses(String v, int max) {
        List<String> addresses = list(v);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("names no address");
        }
        if (addresses.size() > max) {
            throw new IllegalArgumentException("names more than " + max + " address(es)");
        }
        for (String a : addresses) {
            try {
                new jakarta.mail.internet.InternetAddress(a, true).validate();
            } catch (jakarta.mail.internet.AddressException e) {
                throw new IllegalArgumentException("'" + a + "' is not an email address (" + e.getMessage() + ")");
            }
        }
    }

    /** Throws a ConfigException listing every problem, or returns this. */
    public Settings validated() {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new ConfigException(p);
        }
        return this;
    }

    public String endpoint() {
        return get("polardb.endpoint");
    }

    public List<String> regions() {
        return list(values.getOrDefault("polardb.regions", ""));
    }

    public int pageSize() {
        return Integer.parseInt(get("polardb.page-size"));
    }

    public int maxConcurrency() {
        return Integer.parseInt(get("polardb.max-concurrency"));
    }

    public Duration timeout() {
        return Durations.parse(get("polardb.timeout"));
    }

    public int retryMaxAttempts() {
        return Integer.parseInt(get("polardb.retry.max-attempts"));
    }

    public Duration retryInitialDelay() {
        return Durations.parse(get("polardb.retry.initial-delay"));
    }

    public Duration retryMaxDelay() {
        return Durations.parse(get("polardb.retry.max-delay"));
    }

    public int sinkRetryMaxAttempts() {
        return Integer.parseInt(get("sink.retry.max-attempts"));
    }

    public Duration sinkRetryInitialDelay() {
        return Durations.parse(get("sink.retry.initial-delay"));
    }

    public Duration sinkRetryMaxDelay() {
        return Durations.parse(get("sink.retry.max-delay"));
    }

    public Duration pollInterval() {
        return Durations.parse(get("poll.interval"));
    }

    public Duration deadlineWindow() {
        return Durations.parse(get("alert.deadline-window"));
    }

    public List<String> alertChangeLevels() {
        return list(get("alert.change-levels"));
    }

    public boolean alertNonCancelable() {
        return Boolean.parseBoolean(get("alert.non-cancelable"));
    }

    public List<Integer> alertStatuses() {
        return list(get("alert.statuses")).stream().map(Integer::valueOf).toList();
    }

    /** Reminder stages before the Deadline, farthest first, without repeats. */
    public List<Duration> reminderStages() {
        return list(get("alert.reminders")).stream().map(Durations::parse).distinct()
                .sorted(java.util.Comparator.reverseOrder()).toList();
    }

    /** The names of the enabled sinks, each delivered to and confirmed on its own. */
    public List<String> enabledSinks() {
        List<String> sinks = new ArrayList<>();
        if (fileSinkEnabled()) {
            sinks.add("file");
        }
        if (Boolean.parseBoolean(get("sink.mail.enabled"))) {
            sinks.add("mail");
        }
        webhooks().forEach(w -> sinks.add(w.sink()));
        return sinks;
    }

    public boolean fileSinkEnabled() {
        return Boolean.parseBoolean(get("sink.file.enabled"));
    }

    public Path fileSinkDir() {
        return Path.of(get("sink.file.dir"));
    }

    public Path stateDir() {
        return Path.of(get("state.dir"));
    }

    /** The enabled webhooks: the default one (sink "webhook") when its URL is set, then each named one. */
    public List<WebhookSettings> webhooks() {
        List<WebhookSettings> out = new ArrayList<>();
        if (!Boolean.parseBoolean(get("sink.webhook.enabled"))) {
            return out;
        }
        Duration timeout = Durations.parse(get("sink.webhook.timeout"));
        if (!get("sink.webhook.url").isEmpty()) {
            out.add(new WebhookSettings("webhook", get("sink.webhook.url"), get("sink.webhook.format"),
                    get("sink.webhook.secret"), timeout, list(values.getOrDefault("sink.webhook.mention", ""))));
        }
        for (String name : list(get("sink.webhook.names"))) {
            String prefix = "sink.webhook." + name + ".";
            out.add(new WebhookSettings("webhook." + name, values.getOrDefault(prefix + "url", ""),
                    values.getOrDefault(prefix + "format", "generic"), values.getOrDefault(prefix + "secret", ""),
                    timeout, list(values.getOrDefault(prefix + "mention", ""))));
        }
        return out;
    }

    /**
     * One webhook: the sink name it is reported under, where it posts, in which format, signed with what, and
     * whom its messages mention (mobile numbers, user ids, all/here) so that the chat notifies them.
     */
    public record WebhookSettings(String sink, String url, String format, String secret, Duration timeout,
            List<String> mention) {

        public WebhookSettings {
            mention = List.copyOf(mention);
        }

        @Override
        public String toString() {
            return sink + " (" + format + ", " + Urls.redact(url) + ")";
        }
    }

    /** alert.language: "en" or "zh", the words people read in mail and chat. */
    public String language() {
        return get("alert.language");
    }

    public java.time.ZoneId timeZone() {
        return java.time.ZoneId.of(get("alert.time-zone"));
    }

    public String consoleUrl() {
        return get("alert.console-url");
    }

    public List<String> mailTo() {
        return list(get("sink.mail.to"));
    }

    /** The operator's template folder, or null for the built-in templates. */
    public Path mailTemplatesDir() {
        String dir = get("sink.mail.templates-dir");
        return dir.isEmpty() ? null : Path.of(dir);
    }

    public boolean archiveEnabled() {
        return Boolean.parseBoolean(get("archive.enabled"));
    }

    /** archive.time-zone, or alert.time-zone when it is empty. */
    public java.time.ZoneId archiveTimeZone() {
        String zone = get("archive.time-zone");
        return zone.isEmpty() ? timeZone() : java.time.ZoneId.of(zone);
    }

    public Path archiveDir() {
        return Path.of(get("archive.dir"));
    }

    public Duration archiveRetention() {
        return Duration.ofDays(Integer.parseInt(get("archive.retention-days")));
    }

    public Duration stateRetention() {
        return Duration.ofDays(Integer.parseInt(get("state.retention-days")));
    }

    public int demoTasksPerRegion() {
        return Integer.parseInt(get("demo.tasks-per-region"));
    }

    /** The request filters the API documents, in the API's parameter names, without empty ones. */
    public Map<String, String> requestFilters() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("TaskType", get("polardb.task-type"));
        f.put("Status", get("polardb.status"));
        f.put("ChangeLevel", get("polardb.change-level"));
        f.put("AllowCancel", get("polardb.allow-cancel"));
        f.put("AllowChange", get("polardb.allow-change"));
        putIfSet(f, "DBType", get("polardb.db-type"));
        putIfSet(f, "DBClusterId", get("polardb.db-cluster-id"));
        return f;
    }

    /** Every value with its source, secrets masked, for --check-config. */
    public String describeAll() {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(k).append(" = ")
                .append(isSecret(k) ? mask(v) : isWebhookUrl(k) ? Urls.redact(v) : v)
                .append("    (").append(source(k)).append(")\n"));
        return out.toString();
    }

    /** Webhook URLs carry their token or signature; only their host is shown. */
    static boolean isWebhookUrl(String key) {
        return key.startsWith("sink.webhook.") && key.endsWith(".url");
    }

    public static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    static String mask(String v) {
        return v == null || v.isEmpty() ? "" : "******";
    }

    /** Properties handed to Camel, for the {{placeholders}} of the routes. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }

    public static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void putIfSet(Map<String, String> f, String name, String value) {
        if (value != null && !value.isBlank()) {
            f.put(name, value.trim());
        }
    }

    private interface Check {
        void accept(String value) throws Exception;
    }

    private void check(List<String> problems, String key, Check check) {
        String v = values.get(key);
        if (v == null) {
            problems.add(describe(key) + ": missing");
            return;
        }
        check(problems, key, v, check);
    }

    private void check(List<String> problems, String key, String v, Check check) {
        try {
            check.accept(v);
        } catch (URISyntaxException e) {
            problems.add(describe(key) + ": '" + v + "' is not a URL (" + e.getReason() + ")");
        } catch (Exception e) {
            problems.add(describe(key) + ": " + e.getMessage());
        }
    }

    private String describe(String key) {
        return key + " (" + envName(key) + ", from " + source(key) + ")";
    }

    private static void oneOf(String v, Set<String> allowed) {
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("'" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
        }
    }

    private static void intBetween(String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is not between " + min + " and " + max);
        }
    }

    private static void positive(Duration d) {
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than zero");
        }
    }

    private static void bool(String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("'" + v + "' is not true or false");
        }
    }

    private static void notBlank(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
    }

    private static Properties read(InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static Properties readFile(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(what + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void merge(Map<String, String> values, Map<String, String> sources, Properties p, String source) {
        for (String k : p.stringPropertyNames()) {
            values.put(k, p.getProperty(k).trim());
            sources.put(k, source);
        }
    }
}
