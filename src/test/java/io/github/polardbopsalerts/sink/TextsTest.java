package io.github.polardbopsalerts.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Both languages say every text, and every text is a pattern MessageFormat can fill in. */
class TextsTest {

    private static Properties read(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = TextsTest.class.getResourceAsStream("/i18n/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void english_and_chinese_have_the_same_keys_and_valid_patterns() throws Exception {
        Properties en = read("messages.properties");
        Properties zh = read("messages_zh.properties");

        assertThat(zh.stringPropertyNames()).isEqualTo(en.stringPropertyNames());
        for (Properties p : new Properties[] {en, zh}) {
            for (String key : p.stringPropertyNames()) {
                new MessageFormat(p.getProperty(key));
            }
        }
    }

    @Test
    void each_language_reads_its_own_file_whatever_the_jvm_locale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.CHINA);
            assertThat(Texts.of("en").get("tag.urgent")).isEqualTo("action required");
            java.util.Locale.setDefault(java.util.Locale.US);
            assertThat(Texts.of("zh").get("tag.urgent")).isEqualTo("需处理");
            assertThat(Texts.of("zh").get("amount.dh", "2", "3")).isEqualTo("2 天 3 小时");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
