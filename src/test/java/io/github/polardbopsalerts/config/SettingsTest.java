package io.github.polardbopsalerts.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void the_built_in_defaults_are_the_contracts_and_valid() {
        Settings s = Settings.of(Map.of());
        assertThat(s.problems()).isEmpty();
        assertThat(s.endpoint()).isEqualTo("https://polardb.aliyuncs.com");
        assertThat(s.regions()).containsExactly("cn-hangzhou");
        assertThat(s.pageSize()).isEqualTo(100);
        assertThat(s.get("poll.interval")).isEqualTo("5m");
        assertThat(s.get("alert.deadline-window")).isEqualTo("72h");
        assertThat(s.alertStatuses()).containsExactly(0, 1, 2, 3);
        assertThat(s.requestFilters()).containsOnlyKeys("TaskType", "Status", "ChangeLevel", "AllowCancel",
                "AllowChange");
    }

    @Test
    void later_layers_win_file_then_config_then_environment_then_system_properties() throws Exception {
        Files.writeString(dir.resolve("application.properties"), "polardb.page-size=30\npoll.interval=1m\n"
                + "polardb.regions=cn-beijing\n");
        Path extra = dir.resolve("extra.properties");
        Files.writeString(extra, "polardb.page-size=50\npolardb.max-concurrency=2\n");
        Properties system = new Properties();
        system.setProperty("polardb.max-concurrency", "8");

        Settings s = Settings.load(dir, extra, Map.of("POLARDB_PAGE_SIZE", "100", "POLARDB_MAX_CONCURRENCY", "3"),
                system);

        assertThat(s.get("poll.interval")).isEqualTo("1m");
        assertThat(s.source("poll.interval")).isEqualTo("./application.properties");
        assertThat(s.pageSize()).isEqualTo(100);
        assertThat(s.source("polardb.page-size")).isEqualTo("env POLARDB_PAGE_SIZE");
        assertThat(s.maxConcurrency()).isEqualTo(8);
        assertThat(s.regions()).containsExactly("cn-beijing");
    }

    @Test
    void lists_every_problem_at_once_naming_key_and_environment_variable() {
        Settings s = Settings.of(Map.of("polardb.page-size", "40", "poll.interval", "often",
                "polardb.endpoint", "ftp://x", "alert.statuses", "0,9"));
        assertThat(s.problems()).hasSize(4);
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("polardb.page-size (POLARDB_PAGE_SIZE")
                .contains("'40'"));
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("poll.interval (POLL_INTERVAL"));
        assertThatThrownBy(s::validated).isInstanceOf(ConfigException.class);
    }

    @Test
    void a_key_a_file_sets_that_nothing_reads_is_a_problem_with_a_suggestion() throws Exception {
        Path extra = dir.resolve("extra.properties");
        Files.writeString(extra, "sink.mail.enable=true\nsink.webhook.names=oncall\nsink.webhook.oncall.url="
                + "https://hooks.example.com/a\nsink.webhook.dba.url=https://hooks.example.com/b\n"
                + "camel.main.name=alerts\nfrobnicate=yes\n");

        List<String> problems = Settings.load(dir, extra, Map.of(), new Properties()).problems();

        assertThat(problems).containsExactlyInAnyOrder(
                "sink.mail.enable (from " + extra + "): not a known key, it would be ignored; did you mean"
                        + " sink.mail.enabled?",
                "sink.webhook.dba.url (from " + extra + "): webhook 'dba' is not listed in sink.webhook.names, so"
                        + " this key would be ignored",
                "frobnicate (from " + extra + "): not a known key, it would be ignored");
    }

    @Test
    void a_sinks_own_filter_is_checked_and_its_keys_are_known() throws Exception {
        Path extra = dir.resolve("extra.properties");
        Files.writeString(extra, "sink.webhook.enabled=true\nsink.webhook.names=dba\n"
                + "sink.webhook.dba.url=https://hooks.example.com/a\nsink.webhook.dba.clusters=orders-*\n"
                + "sink.webhook.dba.regions=cn-hangzhou,Not A Region\nsink.webhook.dba.change-levels=S0,high\n"
                + "sink.webhook.dba.kinds=urgent,paged\nsink.mail.change-levels=S1\n");

        List<String> problems = Settings.load(dir, extra, Map.of(), new Properties()).problems();

        assertThat(problems).containsExactlyInAnyOrder(
                "sink.webhook.dba.regions (SINK_WEBHOOK_DBA_REGIONS, from " + extra + "): 'Not A Region' is not a"
                        + " RegionId such as cn-hangzhou",
                "sink.webhook.dba.change-levels (SINK_WEBHOOK_DBA_CHANGE_LEVELS, from " + extra + "): 'high' is not"
                        + " a ChangeLevel such as S0 or S1",
                "sink.webhook.dba.kinds (SINK_WEBHOOK_DBA_KINDS, from " + extra + "): 'paged' is not one of"
                        + " [changed, reminder, resolved, urgent]");
    }

    @Test
    void region_all_requires_task_type_all() {
        assertThat(Settings.of(Map.of("polardb.regions", "all")).problems()).isEmpty();
        assertThat(Settings.of(Map.of("polardb.regions", "all", "polardb.task-type", "DatabaseProxyUpgrading"))
                .problems()).singleElement().asString().startsWith("polardb.task-type").contains("must be all");
    }

    @Test
    void a_missing_config_file_is_a_configuration_error() {
        assertThatThrownBy(() -> Settings.load(dir, dir.resolve("nope.properties"), Map.of(), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--config");
    }

    @Test
    void masks_secrets_when_describing_the_configuration() {
        Settings s = Settings.of(Map.of("sink.mail.password", "hunter2"));
        assertThat(s.describeAll()).contains("sink.mail.password = ******").doesNotContain("hunter2");
    }
}
